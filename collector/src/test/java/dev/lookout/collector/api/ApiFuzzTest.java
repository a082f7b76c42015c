package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Mutator;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated query strings against every JSON API route: each answer is a 2xx, or a 4xx with a
 * JSON {@code error}, within a bounded time (including regexes built to backtrack forever), and
 * nothing stored is lost.
 */
@ParameterizedClass
@EnumSource(Store.class)
class ApiFuzzTest {
  @Parameter
  Store store;


  private static final int CASES = 1500;
  private static final Duration PER_CALL = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each route with the parameters it reads. */
  private static final Map<String, String[]> ROUTES = Map.of(
      "/api/requests", new String[] {"service", "method", "status", "path", "minDurationMs", "q", "from", "to",
          "limit", "cursor"},
      "/api/logs", new String[] {"level", "q", "service", "traceId", "from", "to", "limit", "cursor"},
      "/api/exceptions", new String[] {"service", "from", "to", "limit"},
      "/api/overview", new String[] {"service", "from", "to", "buckets"},
      "/api/io", new String[] {"service", "from", "to"},
      "/api/services", new String[] {"limit"},
      "/api/stats", new String[] {"x"},
      "/api/requests/{traceId}", new String[] {"at", "spanId"});
  private static final String[] ROUTE_NAMES = ROUTES.keySet().stream().sorted().toArray(String[]::new);

  /** Values that sit on the edges of what the parameters accept. */
  private static final String[] EDGES = {"", " ", "0", "-1", "1", "1000", "1001", "1440", "1441", "599", "600", "99",
      "5xx", "6xx", "xxx", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "1e3", "NaN",
      "Infinity", "-0", "0x10", "1.5", "GET", "get", "BREW", "TRACE", "INFO", "warn", "FATAL", "regex:", "regex:(",
      "regex:[a-", "regex:.*", "regex:^/kept/\\d+$", "regex:(x+x+)+y", "regex:(a|aa|aaa|x|xx)*$z",
      "regex:^(([a-z])+.)+[A-Z]([a-z])+$", "regex:(x*)*(x*)*(x*)*(x*)*q", "regex:(?<n>x)", "regex:a++", "regex:\\p{L}+", "[", "/kept/[", "*", "**", "/kept/*", "/kept/?",
      "%", "%%", "'", "' OR 1=1 --", "\"", "\\", "\u0000", "😀", "a".repeat(1000), "a".repeat(1001),
      "MTIzOjQ1Ng", "OjE", "Og", "YWJj", "!!!", "5b8efff798038103d269b633813fc60c",
      "5B8EFFF798038103D269B633813FC60C", "5b8efff798038103d269b633813fc60", "00f067aa0ba902b7", "00F067AA0BA902B7",
      "00f067aa0ba902b"};

  @TempDir
  Path dataDir;

  @Test
  void generatedQueryStringsGetJsonAnswersNever500AndNeverHang() throws Exception {
    long seed = Mutator.seed();
    Mutator fuzz = new Mutator(seed);
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      long now = System.currentTimeMillis();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        spans.add(Otlp.serverSpan(now - i, 2, "GET", "/kept/" + i, 200));
      }
      // A path long enough that a catastrophically backtracking regex would never finish on it.
      spans.add(Otlp.serverSpan(now, 2, "GET", "/" + "x".repeat(60), 200));
      assertThat(c.post("/v1/traces", Otlp.traces("kept", spans).toByteArray(), "application/x-protobuf")
          .statusCode()).isEqualTo(200);

      Map<String, Integer> outcomes = new TreeMap<>();
      long slowestNanos = 0;
      for (int i = 0; i < CASES; i++) {
        String route = fuzz.pick(ROUTE_NAMES);
        String path = route.replace("{traceId}", fuzz.nextInt(3) == 0
            ? URLEncoder.encode(fuzz.pick(EDGES), StandardCharsets.UTF_8).replace("+", "%20")
            : "5b8efff798038103d269b633813fc60c");
        String[] params = ROUTES.get(route);
        StringBuilder query = new StringBuilder();
        for (int p = fuzz.nextInt(4); p >= 0; p--) {
          String value = fuzz.nextInt(3) == 0 ? fuzz.randomText(fuzz.nextInt(40)) : fuzz.pick(EDGES);
          query.append(query.length() == 0 ? '?' : '&').append(fuzz.pick(params)).append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        String target = path + query;
        long started = System.nanoTime();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + c.collector.apiPort() + target)).timeout(PER_CALL).build(),
            HttpResponse.BodyHandlers.ofString());
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
        String what = "seed " + seed + ", case " + i + ": GET " + target;
        assertThat(r.statusCode()).as(what + " -> " + r.body()).isIn(200, 400, 404);
        JsonNode body;
        try {
          body = JSON.readTree(r.body());
        } catch (java.io.IOException notJson) {
          throw new AssertionError(what + " answered " + r.statusCode() + " with a body that is not JSON: " + r.body());
        }
        if (r.statusCode() != 200) {
          assertThat(body.path("error").asText()).as(what + " names the problem").isNotBlank();
        }
        outcomes.merge(route + " " + r.statusCode(), 1, Integer::sum);
      }
      // Regexes that backtrack exponentially on the long path, sent for sure rather than by chance.
      for (String evil : new String[] {"(x+x+)+y", "(x|xx)+$q", "^(x*)*(x*)*(x*)*(x*)*q"}) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + c.collector.apiPort() + "/api/requests?path=" + URLEncoder.encode("regex:" + evil,
            StandardCharsets.UTF_8))).timeout(PER_CALL).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("regex " + evil + " -> " + r.body()).isIn(200, 400);
      }
      // Broken percent-encoding cannot come out of java.net.URI: send it raw.
      for (String raw : new String[] {"/api/requests?q=%zz", "/api/logs?q=%", "/api/requests?path=%c3",
          "/api/requests?%=1", "/api/logs?level=%00INFO"}) {
        assertThat(rawGetStatus(c.collector.apiPort(), raw)).as("GET " + raw).isIn(200, 400);
      }
      assertThat(c.get("/api/requests?service=kept&limit=1000").get("items")).hasSize(21);
      System.out.printf("API fuzz: seed %d, %d cases, outcomes %s, slowest answer %d ms%n", seed, CASES, outcomes,
          slowestNanos / 1_000_000);
    }
  }

  private static int rawGetStatus(int port, String target) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout((int) PER_CALL.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      for (int b; (b = in.read()) != -1 && b != '\n'; ) {
        head.write(b);
      }
      return Integer.parseInt(head.toString(StandardCharsets.ISO_8859_1).split(" ")[1]);
    }
  }
}
