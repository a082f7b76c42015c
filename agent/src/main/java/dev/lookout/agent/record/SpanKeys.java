package dev.lookout.agent.record;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute names of {@link SpanRecord}'s fixed fields as they go out over OTLP (OpenTelemetry
 * semantic conventions where one exists, {@code lookout.*} where not).
 */
public final class SpanKeys {

  public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  public static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  public static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
  public static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  public static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  public static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  public static final AttributeKey<Long> LOG_COUNT = AttributeKey.longKey("lookout.log_count");
  public static final AttributeKey<Long> EXCEPTION_COUNT = AttributeKey.longKey("lookout.exception_count");

  public static final AttributeKey<Long> ZERO_COPY_BYTES = AttributeKey.longKey("lookout.io.zero_copy_bytes");
  public static final AttributeKey<Long> COPIED_BYTES = AttributeKey.longKey("lookout.io.copied_bytes");
  public static final AttributeKey<String> VERDICT = AttributeKey.stringKey("lookout.io.verdict");
  public static final AttributeKey<Long> SOCKET_IN = AttributeKey.longKey("lookout.io.socket.bytes_in");
  public static final AttributeKey<Long> SOCKET_OUT = AttributeKey.longKey("lookout.io.socket.bytes_out");
  public static final AttributeKey<Long> SOCKET_CALLS = AttributeKey.longKey("lookout.io.socket.calls");
  public static final AttributeKey<Long> SOCKET_NANOS = AttributeKey.longKey("lookout.io.socket.nanos");

  private SpanKeys() {}
}
