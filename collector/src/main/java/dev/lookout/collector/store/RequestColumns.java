package dev.lookout.collector.store;

import dev.lookout.protocol.SpanAttributes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The span attributes a request row keeps in columns of its own instead of in its attribute JSON:
 * those every agent span carries (socket figures included), which writing as JSON and storing as
 * text cost ingest more than anything else per span. {@link #lifted} says which attributes came
 * that way (bit {@link Key#ordinal()}), so that a request's detail shows exactly the attributes
 * that were sent: the lifted ones rebuilt from the columns, the rest from the JSON. A row written
 * before these columns has {@code lifted == 0} and all its attributes in the JSON.
 */
public record RequestColumns(
    int lifted,
    String scheme,
    String serverAddress,
    long serverPort,
    String userAgent,
    String errorType,
    long socketIn,
    long socketOut,
    long socketCalls,
    long socketNanos,
    long zeroCopyBytes,
    long copiedBytes,
    String ioVerdict) {

  public static final RequestColumns NONE = new RequestColumns(0, null, null, 0, null, null, 0, 0, 0, 0, 0, 0, null);

  /**
   * The attributes that can be lifted, in the order the agent sends them (which a detail shows).
   * Those of the request row's older columns (method … exception count) are lifted only when the
   * column holds exactly the attribute's value.
   */
  public enum Key {
    METHOD(SpanAttributes.METHOD, false),
    PATH(SpanAttributes.PATH, false),
    SCHEME(SpanAttributes.SCHEME, false),
    SERVER_ADDRESS(SpanAttributes.SERVER_ADDRESS, false),
    SERVER_PORT(SpanAttributes.SERVER_PORT, true),
    CLIENT_ADDRESS(SpanAttributes.CLIENT_ADDRESS, false),
    QUERY(SpanAttributes.QUERY, false),
    USER_AGENT(SpanAttributes.USER_AGENT, false),
    ROUTE(SpanAttributes.ROUTE, false),
    STATUS(SpanAttributes.STATUS, true),
    ERROR_TYPE(SpanAttributes.ERROR_TYPE, false),
    LOG_COUNT(SpanAttributes.LOG_COUNT, true),
    EXCEPTION_COUNT(SpanAttributes.EXCEPTION_COUNT, true),
    ZERO_COPY_BYTES(SpanAttributes.IO_ZERO_COPY_BYTES, true),
    COPIED_BYTES(SpanAttributes.IO_COPIED_BYTES, true),
    IO_VERDICT(SpanAttributes.IO_VERDICT, false),
    SOCKET_IN(SpanAttributes.IO_SOCKET_BYTES_IN, true),
    SOCKET_OUT(SpanAttributes.IO_SOCKET_BYTES_OUT, true),
    SOCKET_CALLS(SpanAttributes.IO_SOCKET_CALLS, true),
    SOCKET_NANOS(SpanAttributes.IO_SOCKET_NANOS, true);

    private static final Map<String, Key> BY_NAME = new HashMap<>();

    static {
      for (Key k : values()) {
        BY_NAME.put(k.attribute, k);
      }
    }

    /** The attribute's name on the wire. */
    public final String attribute;
    /** A whole number (an OTLP int value); otherwise a string value. */
    public final boolean number;

    Key(String attribute, boolean number) {
      this.attribute = attribute;
      this.number = number;
    }

    /** The key of an attribute name, or null when it is not one that can be lifted. */
    public static Key of(String attribute) {
      return BY_NAME.get(attribute);
    }

    public int bit() {
      return 1 << ordinal();
    }
  }

  public boolean has(Key key) {
    return (lifted & key.bit()) != 0;
  }

  /**
   * The lifted attributes of request {@code r} (whose columns these are), by name in {@link Key}
   * order: numbers as Long, text as String.
   */
  public Map<String, Object> attributes(RequestRecord r) {
    return attributes(r, "");
  }

  /** The lifted attributes whose names start with {@code prefix}, as {@link #attributes(RequestRecord)}. */
  public Map<String, Object> attributes(RequestRecord r, String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (lifted == 0) {
      return out;
    }
    for (Key k : Key.values()) {
      if (has(k) && k.attribute.startsWith(prefix)) {
        out.put(k.attribute, value(k, r));
      }
    }
    return out;
  }

  private Object value(Key k, RequestRecord r) {
    return switch (k) {
      case METHOD -> r.method();
      case PATH -> r.path();
      case SCHEME -> scheme;
      case SERVER_ADDRESS -> serverAddress;
      case SERVER_PORT -> serverPort;
      case CLIENT_ADDRESS -> r.clientAddress();
      case QUERY -> r.query();
      case USER_AGENT -> userAgent;
      case ROUTE -> r.route();
      case STATUS -> (long) r.status();
      case ERROR_TYPE -> errorType;
      case LOG_COUNT -> (long) r.logCount();
      case EXCEPTION_COUNT -> (long) r.exceptionCount();
      case ZERO_COPY_BYTES -> zeroCopyBytes;
      case COPIED_BYTES -> copiedBytes;
      case IO_VERDICT -> ioVerdict;
      case SOCKET_IN -> socketIn;
      case SOCKET_OUT -> socketOut;
      case SOCKET_CALLS -> socketCalls;
      case SOCKET_NANOS -> socketNanos;
    };
  }
}
