package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.BodyHooks;
import dev.lookout.agent.bootstrap.ContainerHeaders;
import dev.lookout.agent.bootstrap.HeaderPairs;
import dev.lookout.agent.bootstrap.ServletHooks;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Enumeration;

/**
 * What {@link JakartaServletAdvice} does, out of line: the advice inlined into every servlet's
 * {@code service} and every filter's {@code doFilter} is two static calls, and this code is
 * compiled once, not once per servlet and filter. {@link dev.lookout.agent.instrument.HelperInjector}
 * defines it in each class loader whose classes get the advice, so that it links against the
 * servlet API that loader sees. The outermost call of a request's REQUEST dispatch records it.
 * Nested filters, servlets, forwards and includes find that request current on their thread, and
 * error dispatches (of a request recorded or ignored) are never a request of their own: they pass
 * through without touching the request's attributes. An ASYNC dispatch resumes the request marked
 * with {@link ServletHooks#REQUEST_ATTRIBUTE} when it went async ({@link JakartaStartAsyncAdvice}).
 * {@link JavaxCopies} makes its javax.servlet copy.
 */
public final class JakartaServletHelper {

  private JakartaServletHelper() {}

  /** The request's handle when this call records it (or resumes it), or null. */
  public static Object enter(ServletRequest request) {
    if (!(request instanceof HttpServletRequest)) {
      return null;
    }
    DispatcherType dispatch = request.getDispatcherType();
    if (dispatch != DispatcherType.REQUEST) {
      if (dispatch == DispatcherType.ASYNC) {
        Object suspended = request.getAttribute(ServletHooks.REQUEST_ATTRIBUTE);
        return suspended != null ? ServletHooks.requestResume(suspended) : null;
      }
      return null; // a forward, include or error page: part of the request that came in
    }
    if (ServletHooks.currentRequest() != null) {
      return null; // inside the request recorded on this thread: the filter chain goes on
    }
    HttpServletRequest http = (HttpServletRequest) request;
    HeaderPairs pairs = null;
    String traceparent = null;
    String userAgent = null;
    if (ServletHooks.captureHeaders) {
      // the two headers the span needs come from the walk over all of them: no lookups of their own
      pairs = HeaderPairs.forThread();
      if (!ContainerHeaders.read(http, pairs)) {
        for (Enumeration<String> names = http.getHeaderNames(); names.hasMoreElements(); ) {
          String name = names.nextElement();
          for (Enumeration<String> values = http.getHeaders(name); values.hasMoreElements(); ) {
            pairs.add(name, values.nextElement());
          }
        }
      }
      String[] read = pairs.pairs();
      for (int i = 0; i < pairs.size(); i += 2) {
        if (traceparent == null && ServletHooks.isTraceparent(read[i])) {
          traceparent = read[i + 1];
        } else if (userAgent == null && ServletHooks.isUserAgent(read[i])) {
          userAgent = read[i + 1];
        }
      }
    } else {
      traceparent = http.getHeader(ServletHooks.TRACEPARENT);
      userAgent = http.getHeader(ServletHooks.USER_AGENT);
    }
    Object handle = ServletHooks.requestStart(http.getMethod(), http.getScheme(), http.getServerName(),
        http.getServerPort(), http.getRequestURI(), http.getQueryString(), http.getRemoteAddr(),
        traceparent, userAgent, pairs);
    if (pairs != null) {
      pairs.clear();
    }
    return handle;
  }

  /** {@code handle}: what {@link #enter} returned. */
  public static void exit(Object handle, ServletRequest request, ServletResponse response,
      Throwable thrown) {
    if (handle == null) {
      return;
    }
    try {
      if (thrown == null && request.isAsyncStarted()) {
        ServletHooks.requestSuspend(handle);
        return;
      }
    } catch (Throwable unknown) {
      // the request ends here as a synchronous one
    }
    Object route = null;
    int status = 200;
    HeaderPairs pairs = null; // gathered last: the scratch is handed over at once
    try {
      // The servlet's mapping, unless it is the default one; Spring MVC's pattern where Spring set it.
      // An exact mapping is its own route: no Spring attribute asked for (on Jetty 12 a request
      // attribute is a lookup through its synthetic attributes, ~0.1-0.2 us).
      jakarta.servlet.http.HttpServletMapping mapping = null;
      jakarta.servlet.http.MappingMatch match = null;
      if (request instanceof HttpServletRequest) {
        try {
          mapping = ((HttpServletRequest) request).getHttpServletMapping();
          match = mapping != null ? mapping.getMappingMatch() : null;
        } catch (Throwable noMapping) {
          // older containers: the path stands in for the route
        }
      }
      if (match != jakarta.servlet.http.MappingMatch.EXACT) {
        route = request.getAttribute(ServletHooks.SPRING_ROUTE_ATTRIBUTE);
      }
      if (route == null && match != null && match != jakarta.servlet.http.MappingMatch.DEFAULT) {
        route = mapping.getPattern();
      }
      if (BodyHooks.capture) {
        BodyHooks.contentTypes(handle, request.getContentType(), response.getContentType());
      }
      if (response instanceof HttpServletResponse) {
        HttpServletResponse http = (HttpServletResponse) response;
        status = http.getStatus();
        if (ServletHooks.captureHeaders) {
          pairs = HeaderPairs.forThread();
          if (!ContainerHeaders.read(http, pairs)) {
            for (String name : http.getHeaderNames()) {
              for (String value : http.getHeaders(name)) {
                pairs.add(name, value);
              }
            }
          }
        }
      }
    } catch (Throwable partly) {
      // what was read is kept: the request ends whatever the container threw, or its thread would
      // go on taking the next requests for calls nested in this one
    } finally {
      ServletHooks.requestEnd(handle, status, thrown, route instanceof String ? (String) route : null, pairs);
      if (pairs != null) {
        pairs.clear();
      }
    }
  }
}
