package dev.lookout.agent.record;

import dev.lookout.protocol.SpanAttributes;
import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names of {@link SpanRecord}'s fixed fields as they go out over OTLP (OpenTelemetry
 * semantic conventions where one exists, {@code lookout.*} where not).
 */
public final class SpanKeys {

  public static final AttributeKey<String> METHOD = AttributeKey.stringKey(SpanAttributes.METHOD);
  public static final AttributeKey<String> PATH = AttributeKey.stringKey(SpanAttributes.PATH);
  public static final AttributeKey<String> QUERY = AttributeKey.stringKey(SpanAttributes.QUERY);
  public static final AttributeKey<String> SCHEME = AttributeKey.stringKey(SpanAttributes.SCHEME);
  public static final AttributeKey<String> ROUTE = AttributeKey.stringKey(SpanAttributes.ROUTE);
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey(SpanAttributes.SERVER_ADDRESS);
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey(SpanAttributes.SERVER_PORT);
  public static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey(SpanAttributes.CLIENT_ADDRESS);
  public static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey(SpanAttributes.USER_AGENT);
  public static final AttributeKey<Long> STATUS = AttributeKey.longKey(SpanAttributes.STATUS);
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey(SpanAttributes.ERROR_TYPE);
  public static final AttributeKey<Long> LOG_COUNT = AttributeKey.longKey(SpanAttributes.LOG_COUNT);
  public static final AttributeKey<Long> EXCEPTION_COUNT = AttributeKey.longKey(SpanAttributes.EXCEPTION_COUNT);

  public static final AttributeKey<Long> ZERO_COPY_BYTES = AttributeKey.longKey(SpanAttributes.IO_ZERO_COPY_BYTES);
  public static final AttributeKey<Long> COPIED_BYTES = AttributeKey.longKey(SpanAttributes.IO_COPIED_BYTES);
  public static final AttributeKey<String> VERDICT = AttributeKey.stringKey(SpanAttributes.IO_VERDICT);
  public static final AttributeKey<Long> SOCKET_IN = AttributeKey.longKey(SpanAttributes.IO_SOCKET_BYTES_IN);
  public static final AttributeKey<Long> SOCKET_OUT = AttributeKey.longKey(SpanAttributes.IO_SOCKET_BYTES_OUT);
  public static final AttributeKey<Long> SOCKET_CALLS = AttributeKey.longKey(SpanAttributes.IO_SOCKET_CALLS);
  public static final AttributeKey<Long> SOCKET_NANOS = AttributeKey.longKey(SpanAttributes.IO_SOCKET_NANOS);

  private SpanKeys() {}
}
