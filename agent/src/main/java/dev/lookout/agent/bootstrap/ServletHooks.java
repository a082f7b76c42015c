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
 */
public abstract class ServletHooks {

  /** Request attribute holding the handle: forwards, includes and nested filters pass through. */
  public static final String REQUEST_ATTRIBUTE = "dev.lookout.request";
  /** Spring MVC's best matching pattern, the route template when Spring handled the request. */
  public static final String SPRING_ROUTE_ATTRIBUTE = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private static volatile ServletHooks delegate;
  /** {@code lookout.capture.headers}: read by advice before it copies any header. */
  public static volatile boolean captureHeaders;

  public static void install(ServletHooks hooks, boolean headers) {
    delegate = hooks;
    captureHeaders = headers;
  }

  /**
   * Returns an opaque handle (null when nothing is recorded). {@code headers} alternates names and
   * values, or is null when headers are not captured.
   */
  public static Object requestStart(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent, String[] headers) {
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

  /** The outermost call returned; {@code route} may be null, {@code responseHeaders} like request headers. */
  public static void requestEnd(Object handle, int status, Throwable thrown, String route, String[] responseHeaders) {
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

  protected abstract Object start(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent, String[] headers);

  protected abstract void end(Object handle, int status, Throwable thrown, String route, String[] responseHeaders);

  protected abstract void suspend(Object handle);

  protected abstract boolean resume(Object handle);

  protected abstract void complete(Object handle, int status);
}
