package dev.lookout.collector.ingest;

import dev.lookout.collector.store.RequestColumns.Key;
import java.util.HashMap;
import java.util.Map;

/**
 * The span attributes the mappers read: every {@link Key} a request row can lift into a column,
 * and the older semantic-convention names read as fallbacks. {@link Attributes} notes for each
 * of these where its last value is, when the value is added, so a span's twenty-odd lookups are
 * array reads instead of scans comparing names; {@link ProtobufTraces} resolves each cached key
 * once per export, not once per span.
 */
enum SpanKey {
  METHOD(Key.METHOD),
  PATH(Key.PATH),
  SCHEME(Key.SCHEME),
  SERVER_ADDRESS(Key.SERVER_ADDRESS),
  SERVER_PORT(Key.SERVER_PORT),
  CLIENT_ADDRESS(Key.CLIENT_ADDRESS),
  QUERY(Key.QUERY),
  USER_AGENT(Key.USER_AGENT),
  ROUTE(Key.ROUTE),
  STATUS(Key.STATUS),
  ERROR_TYPE(Key.ERROR_TYPE),
  LOG_COUNT(Key.LOG_COUNT),
  EXCEPTION_COUNT(Key.EXCEPTION_COUNT),
  ZERO_COPY_BYTES(Key.ZERO_COPY_BYTES),
  COPIED_BYTES(Key.COPIED_BYTES),
  IO_VERDICT(Key.IO_VERDICT),
  SOCKET_IN(Key.SOCKET_IN),
  SOCKET_OUT(Key.SOCKET_OUT),
  SOCKET_CALLS(Key.SOCKET_CALLS),
  SOCKET_NANOS(Key.SOCKET_NANOS),
  /** Older names, read when the current one is missing. */
  OLD_METHOD("http.method"),
  OLD_TARGET("http.target"),
  OLD_STATUS("http.status_code"),
  OLD_PEER_ADDRESS("net.sock.peer.addr"),
  OLD_PEER_IP("net.peer.ip");

  static final int COUNT = values().length;

  private static final Map<String, SpanKey> BY_NAME = new HashMap<>();
  private static final SpanKey[] BY_COLUMN = new SpanKey[Key.values().length];

  static {
    for (SpanKey k : values()) {
      BY_NAME.put(k.attribute, k);
      if (k.column != null) {
        BY_COLUMN[k.column.ordinal()] = k;
      }
    }
    for (Key column : Key.values()) {
      if (BY_COLUMN[column.ordinal()] == null) {
        throw new IllegalStateException("no span key for the column " + column);
      }
    }
  }

  /** The attribute's name on the wire. */
  final String attribute;
  /** The request column it can be lifted into; null for a fallback name. */
  final Key column;

  SpanKey(Key column) {
    this.attribute = column.attribute;
    this.column = column;
  }

  SpanKey(String attribute) {
    this.attribute = attribute;
    this.column = null;
  }

  /** The key named {@code attribute}, or null when no mapper reads it. */
  static SpanKey of(String attribute) {
    return BY_NAME.get(attribute);
  }

  /** The key of the attribute that {@code column} is lifted from. */
  static SpanKey of(Key column) {
    return BY_COLUMN[column.ordinal()];
  }
}
