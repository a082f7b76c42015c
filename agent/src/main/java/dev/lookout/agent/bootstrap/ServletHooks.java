package dev.lookout.agent.bootstrap;

/**
 * The bridge between advice inlined into servlet containers and the agent's tracer.
 *
 * <p>This class is injected into the bootstrap class loader so that advice in any class loader
 * (a Tomcat web app, a Spring Boot jar launcher, the JDK itself) can reach it. It must therefore
 * use JDK types only. Every entry point swallows whatever the implementation throws: the
 * application must never see an agent failure.
 */
public abstract class ServletHooks {

  /** Request attribute that marks a request already being recorded (forwards, filters, includes). */
  public static final String REQUEST_ATTRIBUTE = "dev.lookout.request";

  private static volatile ServletHooks delegate;

  public static void install(ServletHooks hooks) {
    delegate = hooks;
  }

  /** Returns an opaque handle for {@link #requestEnd}, or null when the request is not recorded. */
  public static Object requestStart(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent) {
    ServletHooks hooks = delegate;
    if (hooks == null) {
      return null;
    }
    try {
      return hooks.start(method, scheme, serverName, serverPort, uri, query, clientAddress, traceparent, userAgent);
    } catch (Throwable ignored) {
      return null;
    }
  }

  public static void requestEnd(Object handle, int status, Throwable thrown) {
    ServletHooks hooks = delegate;
    if (hooks == null || handle == null) {
      return;
    }
    try {
      hooks.end(handle, status, thrown);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  protected abstract Object start(String method, String scheme, String serverName, int serverPort,
      String uri, String query, String clientAddress, String traceparent, String userAgent);

  protected abstract void end(Object handle, int status, Throwable thrown);
}
