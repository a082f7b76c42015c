package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ServletHooks;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Servlet.service} and {@code Filter.doFilter} of jakarta.servlet containers.
 * The outermost call of a request records it; nested filters, servlets, forwards and includes see
 * the request attribute and pass through.
 */
public final class JakartaServletAdvice {

  private JakartaServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) ServletRequest request) {
    if (!(request instanceof HttpServletRequest) || request.getAttribute(ServletHooks.REQUEST_ATTRIBUTE) != null) {
      return null;
    }
    HttpServletRequest http = (HttpServletRequest) request;
    Object handle = ServletHooks.requestStart(http.getMethod(), http.getScheme(), http.getServerName(),
        http.getServerPort(), http.getRequestURI(), http.getQueryString(), http.getRemoteAddr(),
        http.getHeader("traceparent"), http.getHeader("User-Agent"));
    if (handle != null) {
      request.setAttribute(ServletHooks.REQUEST_ATTRIBUTE, handle);
    }
    return handle;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object handle, @Advice.Argument(1) ServletResponse response,
      @Advice.Thrown Throwable thrown) {
    if (handle == null) {
      return;
    }
    int status = response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : 200;
    ServletHooks.requestEnd(handle, status, thrown);
  }
}
