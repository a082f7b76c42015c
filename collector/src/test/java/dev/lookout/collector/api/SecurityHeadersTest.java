package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.support.InProcessCollector;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer of the UI/API port carries the security headers: the UI's pages and files, API
 * answers and their errors (400, 401, 404), the open health check, and what Jetty refuses itself.
 */
class SecurityHeadersTest {

  private static final Map<String, String> EXPECTED = Map.of(
      "content-security-policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "x-content-type-options", "nosniff",
      "referrer-policy", "no-referrer",
      "x-frame-options", "DENY");

  @TempDir
  Path dataDir;

  @Test
  void everyAnswerCarriesThem() throws Exception {
    try (InProcessCollector c = InProcessCollector.withLogin(dataDir, "s3cret-Passw0rd")) {
      Map<String, Integer> answers = Map.of(
          "/", 200, "/index.html", 200, "/app.js", 200, "/style.css", 200, "/healthz", 200,
          "/api/services", 401, "/metrics", 401, "/api/nothing-here", 401, "/nothing-here", 404);
      for (var a : answers.entrySet()) {
        HttpResponse<String> r = c.fetch(a.getKey());
        assertThat(r.statusCode()).as(a.getKey()).isEqualTo(a.getValue());
        assertHeaders(a.getKey(), r.headers().map());
      }
      String token = c.login("s3cret-Passw0rd");
      for (String path : List.of("/api/services", "/api/requests?limit=x", "/api/requests/abc", "/metrics")) {
        HttpResponse<String> r = c.fetch(path, token);
        assertThat(r.statusCode()).as(path).isIn(200, 400);
        assertHeaders(path, r.headers().map());
      }
      assertHeaders("a path Jetty refuses", rawHeaders(c.collector.apiPort(), "/api/requests/%00"));
    }
  }

  private static void assertHeaders(String what, Map<String, List<String>> headers) {
    EXPECTED.forEach((name, value) -> assertThat(headers.get(name)).as(what + ": " + name).containsExactly(value));
  }

  /** A request the HTTP client would not send as written; the headers of the answer, names lower-cased. */
  private static Map<String, List<String>> rawHeaders(int port, String path) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 400");
      Map<String, List<String>> headers = new java.util.TreeMap<>();
      for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.computeIfAbsent(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>())
              .add(line.substring(colon + 1).strip());
        }
      }
      return headers;
    }
  }
}
