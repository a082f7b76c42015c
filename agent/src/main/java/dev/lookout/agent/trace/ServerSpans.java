package dev.lookout.agent.trace;

import dev.lookout.protocol.ExceptionEvent;
import dev.lookout.agent.bootstrap.HeaderPairs;
import dev.lookout.agent.bootstrap.SameStrings;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;

/**
 * One SERVER span per servlet request, current on the request thread while it runs: the advice's
 * values written into a pooled {@link SpanRecord}, submitted to the {@link RecordSink} at the end.
 * No span object, attribute map or id string is made here; the export thread turns the record into
 * OTLP, redacting query, headers and exception text on its way.
 */
public final class ServerSpans extends ServletHooks {

  /** A container's sendfile of a request's response, which may go on on the poller thread. */
  static final class Sendfile {
    final RequestHandle handle;
    final Object connection;
    final long since = System.nanoTime();
    boolean workerDone;
    boolean done;
    Object[] borrowed;

    Sendfile(RequestHandle handle, Object connection) {
      this.handle = handle;
      this.connection = connection;
    }
  }

  /** Sendfiles that went on on a poller, by connection (the container's socket wrapper). */
  private static final java.util.concurrent.ConcurrentHashMap<Object, Sendfile> SENDFILES =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** A sendfile that neither finished nor failed in this time (its connection timed out) ends its request. */
  static final long SENDFILE_STALE_NANOS = 120_000_000_000L;

  private final RecordSink sink;
  /** Null when no path is ignored: one field read per request, not the filter's list. */
  private final PathFilter ignored;
  private final RequestObserver[] observers;

  public ServerSpans(RecordSink sink, PathFilter ignored, RequestObserver... observers) {
    this.sink = sink;
    this.ignored = ignored.isEmpty() ? null : ignored;
    this.observers = observers.clone();
  }

  @Override
  protected Object start(String method, String scheme, String serverName, int serverPort, String uri,
      String query, String clientAddress, String traceparent, String userAgent, HeaderPairs headers) {
    RequestThread here = RequestThread.here();
    if (here.pending != null) {
      // a pipelined request in the same exchange: the one before it is complete
      finishPending(here);
    }
    if (ignored != null && ignored.matches(uri)) {
      return null; // not recorded: its nested filters and servlet ask again, and are told the same
    }
    SpanRecord r = sink.span();
    r.startEpochNanos = sink.epochNanos();
    long[] parent = traceparent != null ? here.parent : null;
    if (parent != null && TraceIds.parseTraceparent(traceparent, parent)) {
      r.traceIdHigh = parent[0];
      r.traceIdLow = parent[1];
      r.parentSpanId = parent[2];
      r.parentRemote = true;
      r.sampled = (parent[3] & 1) != 0;
    } else {
      r.traceIdHigh = TraceIds.newTraceIdHigh(r.startEpochNanos);
      r.traceIdLow = TraceIds.newId();
    }
    r.spanId = TraceIds.newId();
    r.kind = SpanRecord.KIND_SERVER;
    r.method = method;
    r.scheme = scheme;
    SameStrings seen = here.seen;
    r.serverAddress = seen.same(RequestThread.SEEN_SERVER, serverName);
    r.serverPort = serverPort;
    r.path = seen.same(RequestThread.SEEN_PATH, uri);
    r.query = query;
    r.clientAddress = seen.same(RequestThread.SEEN_CLIENT, clientAddress);
    r.userAgent = seen.same(RequestThread.SEEN_USER_AGENT, userAgent);
    if (headers != null && headers.size() > 0) {
      r.requestHeaders = headers.handOverRequest(r.requestHeaders);
    }
    RequestHandle handle = new RequestHandle(r);
    handle.attach(here);
    for (RequestObserver o : observers) {
      o.started(r);
    }
    return handle;
  }

  @Override
  protected void end(Object handle, int status, Throwable thrown, String route, HeaderPairs responseHeaders) {
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
      if (responseHeaders != null && responseHeaders.size() > 0) {
        r.responseHeaders = responseHeaders.handOverResponse(r.responseHeaders);
      }
      if (thrown != null) {
        recordException(h, unwrap(thrown));
      }
      int st = thrown != null && status < 400 ? 500 : status;
      RequestThread ex = h.thread();
      if (ex.depth > 0) {
        // the container writes the response after the servlet returns: the record waits for it
        if (ex.pending != null) {
          finishPending(ex);
        }
        r.status = st;
        ex.pending = h;
        return;
      }
      finish(h, st);
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
        h.attach(RequestThread.here());
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

  @Override
  protected Object currentHandle() {
    return RequestThread.currentRequest();
  }

  @Override
  protected Object enterExchange() {
    RequestThread ex = RequestThread.here();
    if (ex.depth == 0 && ex.current != null) {
      // a request whose end never came back on this thread: a new exchange is not inside it, and
      // servlets called from now on must not be taken for its nested calls
      ex.current = null;
    }
    ex.depth++;
    return ex;
  }

  @Override
  protected void exitExchange(Object token) {
    if (!(token instanceof RequestThread)) {
      return; // the exchange began before the hooks were installed
    }
    RequestThread ex = (RequestThread) token;
    if (ex.depth == 0 || --ex.depth != 0) {
      return;
    }
    if (ex.pending != null) {
      finishPending(ex);
    }
  }

  /** The exchange of the request waiting on this thread is over (or a next request begins). */
  private void finishPending(RequestThread ex) {
    RequestHandle h = ex.pending;
    Sendfile sf = ex.sendfile;
    ex.pending = null;
    ex.sendfile = null;
    if (sf != null && sf.handle == h) {
      for (RequestObserver o : observers) {
        o.paused(h.record);
      }
      synchronized (sf) {
        sf.workerDone = true;
        if (!sf.done) {
          return; // the poller finishes it when the file went out
        }
      }
    }
    finish(h, h.record.status);
  }

  @Override
  protected Object enterSendfile(Object connection, boolean byProcessor) {
    if (byProcessor) {
      RequestThread ex = RequestThread.hereIfAny();
      if (ex == null || ex.pending == null || ex.depth == 0) {
        return null;
      }
      reapStale();
      Sendfile sf = new Sendfile(ex.pending, connection);
      ex.sendfile = sf;
      SENDFILES.put(connection, sf);
      return sf;
    }
    Sendfile sf = SENDFILES.get(connection);
    if (sf == null) {
      return null;
    }
    Object[] borrowed = new Object[observers.length];
    for (int i = 0; i < observers.length; i++) {
      borrowed[i] = observers[i].borrow(sf.handle.record);
    }
    sf.borrowed = borrowed;
    return sf;
  }

  @Override
  protected void exitSendfile(Object token, boolean done) {
    Sendfile sf = (Sendfile) token;
    Object[] borrowed = sf.borrowed;
    sf.borrowed = null;
    if (borrowed != null) {
      for (int i = 0; i < observers.length; i++) {
        observers[i].giveBack(sf.handle.record, borrowed[i]);
      }
    }
    if (!done) {
      return;
    }
    SENDFILES.remove(sf.connection, sf);
    synchronized (sf) {
      if (sf.done) {
        return;
      }
      sf.done = true;
      if (!sf.workerDone) {
        return; // on the request's thread, still in the exchange: it finishes there
      }
    }
    finish(sf.handle, sf.handle.record.status);
  }

  /** Sendfiles whose connection went away without a word (a timeout): their requests end now. */
  private void reapStale() {
    if (SENDFILES.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Sendfile sf : SENDFILES.values()) {
      if (now - sf.since > SENDFILE_STALE_NANOS && SENDFILES.remove(sf.connection, sf)) {
        synchronized (sf) {
          if (sf.done || !sf.workerDone) {
            continue;
          }
          sf.done = true;
        }
        finish(sf.handle, sf.handle.record.status);
      }
    }
  }

  /** The request current on this thread, or null. */
  static RequestHandle current() {
    return RequestThread.currentRequest();
  }

  /** The current request's trace id in hex (for the application's MDC), or null outside requests. */
  public static String currentTraceIdHex() {
    RequestHandle h = RequestThread.currentRequest();
    return h == null ? null : h.traceIdHex();
  }

  public static String currentSpanIdHex() {
    RequestHandle h = RequestThread.currentRequest();
    return h == null ? null : h.spanIdHex();
  }

  /**
   * Counts a log record (and its throwable) against the request current on this thread and links the
   * record to that request (its trace and span id); returns false when the throwable was reported
   * before (the record is then marked a duplicate). One thread-local lookup for both.
   */
  public static boolean countLog(Throwable thrown, LogEventRecord log) {
    RequestHandle h = RequestThread.currentRequest();
    boolean first = thrown == null || RecentThrowables.firstReport(thrown);
    if (h != null) {
      h.countLog();
      if (thrown != null && first) {
        h.countException();
      }
      if (!h.ended()) {
        SpanRecord r = h.record;
        log.traceIdHigh = r.traceIdHigh;
        log.traceIdLow = r.traceIdLow;
        log.spanId = r.spanId;
      }
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
    r.addEvent(ExceptionEvent.NAME, sink.epochNanos(), first ? ExceptionEvents.FIRST : ExceptionEvents.DUPLICATE, thrown);
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
