package dev.lookout.collector.store;

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
    METHOD("http.request.method", false),
    PATH("url.path", false),
    SCHEME("url.scheme", false),
    SERVER_ADDRESS("server.address", false),
    SERVER_PORT("server.port", true),
    CLIENT_ADDRESS("client.address", false),
    QUERY("url.query", false),
    USER_AGENT("user_agent.original", false),
    ROUTE("http.route", false),
    STATUS("http.response.status_code", true),
    ERROR_TYPE("error.type", false),
    LOG_COUNT("lookout.log_count", true),
    EXCEPTION_COUNT("lookout.exception_count", true),
    ZERO_COPY_BYTES("lookout.io.zero_copy_bytes", true),
    COPIED_BYTES("lookout.io.copied_bytes", true),
    IO_VERDICT("lookout.io.verdict", false),
    SOCKET_IN("lookout.io.socket.bytes_in", true),
    SOCKET_OUT("lookout.io.socket.bytes_out", true),
    SOCKET_CALLS("lookout.io.socket.calls", true),
    SOCKET_NANOS("lookout.io.socket.nanos", true);

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
