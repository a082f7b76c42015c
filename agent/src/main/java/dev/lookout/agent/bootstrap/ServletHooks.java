package dev.lookout.agent.bootstrap;

/**
 * The bridge between advice inlined into servlet containers (javax and jakarta) and the agent's
 * tracer.
 *
 * <p>This class is defined in the bootstrap class loader so that advice in any class loader (a
 * Tomcat web app, a Spring Boot launcher, the JDK itself) can reach it; it therefore uses JDK types
 * only. Every entry point swallows whatever the implementation throws: the application must never
 * see an agent failure.
 *
 * <p>Life of a request: {@link #requestStart} in the outermost filter or servlet; then either
 * {@link #requestEnd} when it returns, or, when it started async processing, {@link #requestSuspend}
 * and later {@link #requestResume} on async dispatches and {@link #requestEnd} or
 * {@link #asyncComplete} when it finishes.
 *
 * <p>Where container advice applies (Jetty 12's {@code ServletChannel.handle}, Tomcat's
 * {@code Http11Processor.service}), the container's exchange is marked around the servlet with
 * {@link #exchangeEnter} / {@link #exchangeExit}: the servlet's outermost exit then records the request
 * but leaves it open until the exchange ends, so the response flush the container makes after the
 * servlet returns is the request's. A Tomcat sendfile that goes on on the poller thread
 * ({@link #sendfileEnter} / {@link #sendfileExit}, keyed by the connection) keeps the request open until
 * it is done. Without container advice nothing changes.
 */
public abstract class ServletHooks {

  /**
   * Request attribute holding the handle of a request that went async ({@code startAsync}), for its
   * async dispatches and its {@code AsyncContext.complete()} on other threads. A synchronous request
   * is not marked: setting an attribute made the container build the request's attribute map (~285 B
   * per request on Jetty 12), and what it told (a nested filter, forward or error page of a request
   * being recorded) the thread and the dispatcher type tell.
   */
  public static final String REQUEST_ATTRIBUTE = "dev.lookout.request";
  /** Spring MVC's best matching pattern, the route template when Spring handled the request. */
  public static final String SPRING_ROUTE_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  public static final String TRACEPARENT = "traceparent";
  public static final String USER_AGENT = "User-Agent";

  private static volatile ServletHooks delegate;
  /** {@code lookout.capture.headers}: read by advice before it copies any header. */
  public static volatile boolean captureHeaders;

  /** Whether a request header's name is {@link #TRACEPARENT}, in any case (HTTP header names are). */
  public static boolean isTraceparent(String name) {
    return name.length() == 11 && name.equalsIgnoreCase(TRACEPARENT);
  }

  /** Whether a request header's name is {@link #USER_AGENT}, in any case. */
  public static boolean isUserAgent(String name) {
    return name.length() == 10 && name.equalsIgnoreCase(USER_AGENT);
  }

  public static void install(ServletHooks hooks, boolean headers) {
    delegate = hooks;
    captureHeaders = headers;
  }

  /**
   * Returns an opaque handle (null when nothing is recorded). {@code headers} is the thread's scratch
   * holding the request's header pairs, or null when headers are not captured; the caller clears it
   * once this returns, so what is kept of it is {@link HeaderPairs#handOver handed over}.
   */
  public static Object requestStart(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent, HeaderPairs headers) {
    ServletHooks hooks = delegate;
    if (hooks == null) {
      return null;
    }
    try {
      return hooks.start(method, scheme, serverName, serverPort, uri, query, clientAddress, traceparent, userAgent,
          headers);
    } catch (Throwable ignored) {
      return null;
    }
  }

  /**
   * The handle of the request being recorded on this thread, or null: a servlet or filter called now
   * is nested in it (a filter's chain, a forward, an include).
   */
  public static Object currentRequest() {
    ServletHooks hooks = delegate;
    if (hooks == null) {
      return null;
    }
    try {
      return hooks.currentHandle();
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** The outermost call returned; {@code route} may be null, {@code responseHeaders} like request headers. */
  public static void requestEnd(Object handle, int status, Throwable thrown, String route,
      HeaderPairs responseHeaders) {
    ServletHooks hooks = delegate;
    if (hooks == null || handle == null) {
      return;
    }
    try {
      hooks.end(handle, status, thrown, route, responseHeaders);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** The outermost call returned with async processing started: the request goes on elsewhere. */
  public static void requestSuspend(Object handle) {
    ServletHooks hooks = delegate;
    if (hooks == null || handle == null) {
      return;
    }
    try {
      hooks.suspend(handle);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** An async dispatch of a suspended request begins; returns the handle if this call resumed it. */
  public static Object requestResume(Object handle) {
    ServletHooks hooks = delegate;
    if (hooks == null || handle == null) {
      return null;
    }
    try {
      return hooks.resume(handle) ? handle : null;
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** {@code AsyncContext.complete()} was called. */
  public static void asyncComplete(Object handle, int status) {
    ServletHooks hooks = delegate;
    if (hooks == null || handle == null) {
      return;
    }
    try {
      hooks.complete(handle, status);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /**
   * A container's exchange (request processing and response completion) begins on this thread; the
   * answer goes to {@link #exchangeExit} (null when nothing is recorded).
   */
  public static Object exchangeEnter() {
    ServletHooks hooks = delegate;
    if (hooks == null) {
      return null;
    }
    try {
      return hooks.enterExchange();
    } catch (Throwable ignored) {
      return null; // never into the application
    }
  }

  /** The container's exchange whose {@link #exchangeEnter} answered {@code token} is over. */
  public static void exchangeExit(Object token) {
    ServletHooks hooks = delegate;
    if (hooks == null || token == null) {
      return;
    }
    try {
      hooks.exitExchange(token);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /**
   * A container's sendfile of a response on {@code connection} begins: on the request's own thread
   * ({@code byProcessor}, the first attempt), or on the poller thread (the rest). Returns a token for
   * {@link #sendfileExit}, or null when nothing is followed.
   */
  public static Object sendfileEnter(Object connection, boolean byProcessor) {
    ServletHooks hooks = delegate;
    if (hooks == null || connection == null) {
      return null;
    }
    try {
      return hooks.enterSendfile(connection, byProcessor);
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** The sendfile attempt ended: {@code done} when the file went out in full (or failed), false when it is pending. */
  public static void sendfileExit(Object token, boolean done) {
    ServletHooks hooks = delegate;
    if (hooks == null || token == null) {
      return;
    }
    try {
      hooks.exitSendfile(token, done);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  protected Object enterExchange() {
    return null;
  }

  protected Object currentHandle() {
    return null;
  }

  protected void exitExchange(Object token) {}

  protected Object enterSendfile(Object connection, boolean byProcessor) {
    return null;
  }

  protected void exitSendfile(Object token, boolean done) {}

  protected abstract Object start(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent, HeaderPairs headers);

  protected abstract void end(Object handle, int status, Throwable thrown, String route, HeaderPairs responseHeaders);

  protected abstract void suspend(Object handle);

  protected abstract boolean resume(Object handle);

  protected abstract void complete(Object handle, int status);
}
