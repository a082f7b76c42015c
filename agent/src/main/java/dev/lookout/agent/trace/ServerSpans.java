package dev.lookout.agent.trace;

import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;

/**
 * One SERVER span per servlet request, current on the request thread while it runs: the advice's
 * values written into a pooled {@link SpanRecord}, submitted to the {@link RecordSink} at the end.
 * No span object, attribute map or id string is made here; the export thread turns the record into
 * OTLP, redacting query, headers and exception text on its way.
 */
public final class ServerSpans extends ServletHooks {

  /** Returned for requests that are not recorded (ignored paths), so nested calls pass through. */
  static final Object NOT_RECORDED = new Object();

  /** A parsed traceparent per thread: trace id high and low, parent span id, flags. */
  private static final ThreadLocal<long[]> PARENT = ThreadLocal.withInitial(() -> new long[4]);

  private final RecordSink sink;
  private final PathFilter ignored;
  private final RequestObserver[] observers;

  public ServerSpans(RecordSink sink, PathFilter ignored, RequestObserver... observers) {
    this.sink = sink;
    this.ignored = ignored;
    this.observers = observers.clone();
  }

  @Override
  protected Object start(String method, String scheme, String serverName, int serverPort, String uri,
      String query, String clientAddress, String traceparent, String userAgent, String[] headers) {
    if (!ignored.isEmpty() && ignored.matches(uri)) {
      return NOT_RECORDED;
    }
    SpanRecord r = sink.span();
    r.startEpochNanos = sink.epochNanos();
    long[] parent = PARENT.get();
    if (traceparent != null && TraceIds.parseTraceparent(traceparent, parent)) {
      r.traceIdHigh = parent[0];
      r.traceIdLow = parent[1];
      r.parentSpanId = parent[2];
      r.parentRemote = true;
      r.sampled = (parent[3] & 1) != 0;
    } else {
      r.traceIdHigh = TraceIds.newTraceIdHigh();
      r.traceIdLow = TraceIds.newId();
    }
    r.spanId = TraceIds.newId();
    r.kind = SpanRecord.KIND_SERVER;
    r.method = method;
    r.scheme = scheme;
    r.serverAddress = serverName;
    r.serverPort = serverPort;
    r.path = uri;
    r.query = query;
    r.clientAddress = clientAddress;
    r.userAgent = userAgent;
    r.requestHeaders = headers;
    RequestHandle handle = new RequestHandle(r);
    handle.attach();
    for (RequestObserver o : observers) {
      o.started(r);
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
      SpanRecord r = h.record;
      r.route = route;
      r.responseHeaders = responseHeaders;
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

  /** The request current on this thread, or null. */
  static RequestHandle current() {
    return RequestHandle.CURRENT.get();
  }

  /**
   * Links a log record to the request current on this thread: its trace and span id go into
   * {@code ids} (high, low, span); false outside requests.
   */
  public static boolean currentIds(long[] ids) {
    RequestHandle h = RequestHandle.CURRENT.get();
    if (h == null || h.ended()) {
      return false;
    }
    SpanRecord r = h.record;
    ids[0] = r.traceIdHigh;
    ids[1] = r.traceIdLow;
    ids[2] = r.spanId;
    return true;
  }

  /** The current request's trace id in hex (for the application's MDC), or null outside requests. */
  public static String currentTraceIdHex() {
    RequestHandle h = RequestHandle.CURRENT.get();
    return h == null ? null : h.traceIdHex();
  }

  public static String currentSpanIdHex() {
    RequestHandle h = RequestHandle.CURRENT.get();
    return h == null ? null : h.spanIdHex();
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
    SpanRecord r = h.record;
    r.addEvent("exception", sink.epochNanos(), first ? ExceptionEvents.FIRST : ExceptionEvents.DUPLICATE, thrown);
    r.errorType = thrown.getClass().getName();
  }

  private void finish(RequestHandle h, int status) {
    SpanRecord r = h.record;
    r.status = status;
    if (status >= 500 && h.exceptions() == 0 && r.errorType == null) {
      r.errorType = Integer.toString(status);
    }
    r.logCount = h.logs();
    r.exceptionCount = h.exceptions();
    for (RequestObserver o : observers) {
      o.ending(r);
    }
    r.endEpochNanos = sink.epochNanos();
    sink.submit(r);
  }
}
