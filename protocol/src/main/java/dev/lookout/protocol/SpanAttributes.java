package dev.lookout.protocol;

/**
 * Attribute names on the spans the agent sends and the collector reads: OpenTelemetry semantic
 * conventions where one exists, {@code lookout.*} where not.
 */
public final class SpanAttributes {

  public static final String METHOD = "http.request.method";
  public static final String PATH = "url.path";
  public static final String QUERY = "url.query";
  public static final String SCHEME = "url.scheme";
  public static final String ROUTE = "http.route";
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String CLIENT_ADDRESS = "client.address";
  public static final String USER_AGENT = "user_agent.original";
  public static final String STATUS = "http.response.status_code";
  public static final String ERROR_TYPE = "error.type";
  /** Followed by the lower-case header name. */
  public static final String REQUEST_HEADER_PREFIX = "http.request.header.";
  public static final String RESPONSE_HEADER_PREFIX = "http.response.header.";

  public static final String LOG_COUNT = "lookout.log_count";
  public static final String EXCEPTION_COUNT = "lookout.exception_count";
  public static final String REQUEST_BODY = "lookout.body.request";
  public static final String RESPONSE_BODY = "lookout.body.response";
  public static final String REQUEST_BODY_SIZE = "lookout.body.request.size";
  public static final String RESPONSE_BODY_SIZE = "lookout.body.response.size";

  /** The request's I/O figures all start with this. */
  public static final String IO_PREFIX = "lookout.io.";
  public static final String IO_ZERO_COPY_BYTES = "lookout.io.zero_copy_bytes";
  public static final String IO_COPIED_BYTES = "lookout.io.copied_bytes";
  public static final String IO_VERDICT = "lookout.io.verdict";
  public static final String IO_SOCKET_BYTES_IN = "lookout.io.socket.bytes_in";
  public static final String IO_SOCKET_BYTES_OUT = "lookout.io.socket.bytes_out";
  public static final String IO_SOCKET_CALLS = "lookout.io.socket.calls";
  public static final String IO_SOCKET_NANOS = "lookout.io.socket.nanos";

  private SpanAttributes() {}
}
