package dev.lookout.agent.instrument.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.bootstrap.HeaderPairs;
import dev.lookout.agent.support.JettyServletServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real Jetty 12 server: the servlet reads its own request and response through {@link JettyHeaders},
 * in order and without allocating.
 */
class JettyHeadersTest {

  /** Answers with the pairs JettyHeaders read, one {@code name=value} per line: request, then response. */
  static final class EchoServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.addHeader("Vary", "Origin");
      resp.addHeader("Vary", "Accept");
      List<String> lines = new ArrayList<>();
      HeaderPairs pairs = HeaderPairs.forThread();
      new JettyHeaders().fields(req, pairs);
      lines.add("request " + pairs(pairs));
      pairs.clear();
      new JettyHeaders().fields(resp, pairs);
      lines.add("response " + pairs(pairs));
      pairs.clear();
      // read again, measured: Jetty's own field lists are read by index, no iterator is made
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      JettyHeaders reader = new JettyHeaders();
      long self = Thread.currentThread().getId();
      threads.getThreadAllocatedBytes(self);
      long before = threads.getThreadAllocatedBytes(self);
      reader.fields(req, pairs);
      reader.fields(resp, pairs);
      long allocated = threads.getThreadAllocatedBytes(self) - before;
      pairs.clear();
      lines.add("allocated " + allocated);
      resp.getWriter().write(String.join("\n", lines));
    }

    private static String pairs(HeaderPairs pairs) {
      StringBuilder out = new StringBuilder();
      String[] p = pairs.pairs();
      for (int i = 0; i < pairs.size(); i += 2) {
        out.append(p[i].toLowerCase()).append('=').append(p[i + 1]).append(';');
      }
      return out.toString();
    }
  }

  @Test
  void requestAndResponseFieldsAreReadFromJettysOwnListsInOrder() throws Exception {
    try (JettyServletServer server = JettyServletServer.start("/echo", new EchoServlet())) {
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri("/echo"))
              .header("X-Repeated", "one").header("X-Repeated", "two").GET().build(),
          HttpResponse.BodyHandlers.ofString());
      String[] lines = answer.body().split("\n");
      assertEquals(3, lines.length, answer.body());
      // the JDK client sends its own headers around ours; the repeated one stays as two fields, in order
      assertTrue(lines[0].contains("x-repeated=one;x-repeated=two;"), lines[0]);
      assertTrue(lines[0].contains("host=127.0.0.1:" + server.port() + ";"), lines[0]);
      assertTrue(lines[1].contains("vary=Origin;vary=Accept;"), lines[1]);
      assertTrue(lines[1].contains("content-type=text/plain"), lines[1]);
      assertEquals("allocated 0", lines[2]);
    }
  }
}
