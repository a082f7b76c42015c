package dev.lookout.agent.instrument.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.support.Exported;
import dev.lookout.agent.support.JettyServletServer;
import dev.lookout.agent.trace.PathFilter;
import dev.lookout.agent.trace.ServerSpans;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty 12 server whose servlet calls the helper as the advice does: a nested call passes
 * through, and a request ends (and is no longer current on its thread) even when the container throws
 * while its status and headers are read.
 */
class JakartaServletHelperTest {

  /** Enters, enters again (a nested call), then exits with a response that throws when read. */
  static final class HelperServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object handle = JakartaServletHelper.enter(req);
      Object nested = JakartaServletHelper.enter(req);
      HttpServletResponse throwing = new HttpServletResponseWrapper(resp) {
        @Override
        public int getStatus() {
          throw new IllegalStateException("a container that cannot say");
        }
      };
      JakartaServletHelper.exit(handle, req, throwing, null);
      resp.setContentType("text/plain");
      resp.getWriter().write("recorded=" + (handle != null) + " nested=" + (nested != null)
          + " current-after=" + (ServletHooks.currentRequest() != null));
    }
  }

  @Test
  void aNestedCallPassesThroughAndARequestEndsWhateverTheContainerThrows() throws Exception {
    Exported exported = new Exported();
    ServletHooks.install(new ServerSpans(exported.sink, PathFilter.parse(null)), true);
    try (JettyServletServer server = JettyServletServer.start("/helper", new HelperServlet())) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri("/helper")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("recorded=true nested=false current-after=false", answer.body());
      List<SpanData> spans = exported.spans();
      assertEquals(1, spans.size());
      assertEquals("/helper", spans.get(0).getAttributes().get(SpanKeys.PATH));
    } finally {
      ServletHooks.install(null, false);
    }
  }

  /** Records its request as the advice does, after setting Spring MVC's pattern attribute when it has one. */
  static final class RouteServlet extends HttpServlet {
    private final String springPattern;

    RouteServlet(String springPattern) {
      this.springPattern = springPattern;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object handle = JakartaServletHelper.enter(req);
      if (springPattern != null) {
        req.setAttribute(ServletHooks.SPRING_ROUTE_ATTRIBUTE, springPattern);
      }
      JakartaServletHelper.exit(handle, req, resp, null);
    }
  }

  /** The route of one request to a servlet mapped at {@code mapping}, with or without Spring's pattern. */
  private static String route(String mapping, String path, String springPattern) throws Exception {
    Exported exported = new Exported();
    ServletHooks.install(new ServerSpans(exported.sink, PathFilter.parse(null)), true);
    try (JettyServletServer server = JettyServletServer.start(mapping, new RouteServlet(springPattern))) {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri(path)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      List<SpanData> spans = exported.spans();
      assertEquals(1, spans.size());
      return spans.get(0).getAttributes().get(SpanKeys.ROUTE);
    } finally {
      ServletHooks.install(null, false);
    }
  }

  @Test
  void theRouteIsSpringsPatternWhereSpringSetItElseTheServletsMappingUnlessItIsTheDefault() throws Exception {
    // the default mapping ("/", where Spring's DispatcherServlet usually is) names no route of its own
    assertEquals("/users/{id}", route("/", "/users/7", "/users/{id}"));
    assertNull(route("/", "/users/7", null));
    // a path mapping ("/api/*") is a route until Spring names a finer one
    assertEquals("/api/users/{id}", route("/api/*", "/api/users/7", "/api/users/{id}"));
    assertEquals("/api/*", route("/api/*", "/api/users/7", null));
    // an exact mapping is its own route: every request it takes has that path
    assertEquals("/exact", route("/exact", "/exact", null));
    assertEquals("/exact", route("/exact", "/exact", "/ex*"));
  }
}
