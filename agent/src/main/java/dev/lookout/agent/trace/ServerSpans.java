package dev.lookout.agent.trace;

import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;

/**
 * One SERVER span per servlet request, current on the request thread while it runs, with the
 * semantic-convention attributes, redacted headers and query, the route, and what the request
 * logged and threw.
 */
public final class ServerSpans extends ServletHooks {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> LOG_COUNT = AttributeKey.longKey("lookout.log_count");
  static final AttributeKey<Long> EXCEPTION_COUNT = AttributeKey.longKey("lookout.exception_count");
  static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("lookout.exception.duplicate");

  /** Returned for requests that are not recorded (ignored paths), so nested calls pass through. */
  static final Object NOT_RECORDED = new Object();

  /** A lone traceparent header, the only carrier the advice hands over. */
  private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return Collections.singletonList("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };

  private final Tracer tracer;
  private final Redactor redactor;
  private final PathFilter ignored;
  private final RequestObserver[] observers;
  private final HeaderCapture requestHeaders;
  private final HeaderCapture responseHeaderCapture;

  public ServerSpans(Tracer tracer, Redactor redactor, PathFilter ignored, RequestObserver... observers) {
    this.tracer = tracer;
    this.redactor = redactor;
    this.ignored = ignored;
    this.observers = observers.clone();
    this.requestHeaders = new HeaderCapture("http.request.header.", redactor);
    this.responseHeaderCapture = new HeaderCapture("http.response.header.", redactor);
  }

  @Override
  protected Object start(String method, String scheme, String serverName, int serverPort, String uri,
      String query, String clientAddress, String traceparent, String userAgent, String[] headers) {
    if (!ignored.isEmpty() && ignored.matches(uri)) {
      return NOT_RECORDED;
    }
    Context parent = traceparent == null
        ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    // Every attribute known at the start goes onto the builder: the span is created with them at once.
    SpanBuilder builder = tracer.spanBuilder(method)
        .setSpanKind(SpanKind.SERVER)
        .setParent(parent)
        .setAttribute(METHOD, method)
        .setAttribute(PATH, uri)
        .setAttribute(SCHEME, scheme)
        .setAttribute(SERVER_ADDRESS, serverName)
        .setAttribute(SERVER_PORT, (long) serverPort)
        .setAttribute(CLIENT_ADDRESS, clientAddress);
    if (query != null) {
      builder.setAttribute(QUERY, redactor.query(query));
    }
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT, userAgent);
    }
    if (headers != null) {
      requestHeaders.addTo(builder, headers);
    }
    Span span = builder.startSpan();
    Object[] states = new Object[observers.length];
    RequestHandle handle = new RequestHandle(method, span, states);
    handle.attach();
    for (int i = 0; i < observers.length; i++) {
      states[i] = observers[i].started(span);
    }
    return handle;
  }

  @Override
  protected void end(Object handle, int status, Throwable thrown, String route, String[] responseHeaders) {
    if (!(handle instanceof RequestHandle)) {
      return;
    }
    RequestHandle h = (RequestHandle) handle;
    try {
      if (h.swapState(RequestHandle.ENDED) == RequestHandle.ENDED) {
        return;
      }
      Span span = h.span;
      if (route != null) {
        span.setAttribute(ROUTE, route);
        span.updateName(h.method + " " + route);
      }
      if (responseHeaders != null) {
        responseHeaderCapture.addTo(span, responseHeaders);
      }
      if (thrown != null) {
        recordException(h, unwrap(thrown));
      }
      finish(h, thrown != null && status < 400 ? 500 : status);
    } finally {
      h.detach();
    }
  }

  @Override
  protected void suspend(Object handle) {
    if (handle instanceof RequestHandle) {
      RequestHandle h = (RequestHandle) handle;
      h.changeState(RequestHandle.ACTIVE, RequestHandle.SUSPENDED);
      h.detach();
    }
  }

  @Override
  protected boolean resume(Object handle) {
    if (handle instanceof RequestHandle) {
      RequestHandle h = (RequestHandle) handle;
      if (h.changeState(RequestHandle.SUSPENDED, RequestHandle.ACTIVE)) {
        h.attach();
        return true;
      }
    }
    return false;
  }

  @Override
  protected void complete(Object handle, int status) {
    if (handle instanceof RequestHandle) {
      RequestHandle h = (RequestHandle) handle;
      if (h.swapState(RequestHandle.ENDED) != RequestHandle.ENDED) {
        finish(h, status);
      }
      h.detach();
    }
  }

  /** The context of the request current on this thread (root when none), for linking log records. */
  public static Context currentContext() {
    RequestHandle h = RequestHandle.CURRENT.get();
    return h == null ? Context.root() : h.context();
  }

  /** The span of the request current on this thread, or the invalid span when none. */
  public static Span currentSpan() {
    RequestHandle h = RequestHandle.CURRENT.get();
    return h == null ? Span.getInvalid() : h.span;
  }

  /**
   * Counts a log record (and its throwable) against the request current on this thread; returns
   * false when the throwable was reported before (it is then marked a duplicate).
   */
  public static boolean countLog(Throwable thrown) {
    RequestHandle h = RequestHandle.CURRENT.get();
    if (h != null) {
      h.countLog();
    }
    boolean first = thrown == null || RecentThrowables.firstReport(thrown);
    if (h != null && thrown != null && first) {
      h.countException();
    }
    return first;
  }

  /**
   * The exception the application threw rather than the container's wrapper around it: frameworks
   * (Spring's FrameworkServlet, for one) wrap whatever escapes a handler in a ServletException.
   */
  static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while (t.getCause() != null && t.getCause() != t && t.getClass().getName().endsWith("ServletException")) {
      t = t.getCause();
    }
    return t;
  }

  private void recordException(RequestHandle h, Throwable thrown) {
    boolean first = RecentThrowables.firstReport(thrown);
    if (first) {
      h.countException();
    }
    ExceptionEvents.record(h.span, thrown, first ? Attributes.empty() : Attributes.of(DUPLICATE, true), redactor);
    h.span.setAttribute(ERROR_TYPE, thrown.getClass().getName());
  }

  private void finish(RequestHandle h, int status) {
    Span span = h.span;
    span.setAttribute(STATUS, (long) status);
    if (status >= 500) {
      span.setStatus(StatusCode.ERROR);
      if (h.exceptions() == 0) {
        span.setAttribute(ERROR_TYPE, Integer.toString(status));
      }
    }
    // Zero counts are left out: the collector reads a missing count as 0.
    int logs = h.logs();
    if (logs > 0) {
      span.setAttribute(LOG_COUNT, (long) logs);
    }
    int exceptions = h.exceptions();
    if (exceptions > 0) {
      span.setAttribute(EXCEPTION_COUNT, (long) exceptions);
    }
    for (int i = 0; i < observers.length; i++) {
      observers[i].ending(h.observerStates[i], span);
    }
    span.end();
  }
}
