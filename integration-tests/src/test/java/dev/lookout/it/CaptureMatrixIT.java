package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.SharedCollector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a request touches, captured on every supported kind of application: embedded Tomcat 11
 * (jakarta, Log4j2), embedded Tomcat 9 (javax, java.util.logging) and Spring Boot 3 (Spring MVC,
 * Logback through SLF4J), each on JDK 17 and Temurin 25, with the real agent and collector.
 */
class CaptureMatrixIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String SECRET_HEADER = "Bearer top-secret-header-value";
  private static final String SECRET_COOKIE = "session=cookie-secret-value";
  private static final String SECRET_PARAM = "s3cr3t-token-value";

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  static Stream<Arguments> apps() {
    List<Arguments> cases = new ArrayList<>();
    for (String app : List.of("tomcat11", "tomcat9", "spring-boot")) {
      for (Path jdk : Jars.applicationJdks()) {
        // exports go as they are to a collector on loopback; every other case asks for gzip instead
        cases.add(Arguments.of(app, jdk, cases.size() % 2 == 0 ? "default" : "gzip"));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1}, compression {2}")
  @MethodSource("apps")
  void requestsLogsAndExceptionsArriveLinked(String app, Path jdk, String compression) throws Exception {
    boolean spring = app.equals("spring-boot");
    String service = app + "-" + UUID.randomUUID().toString().substring(0, 6);
    String agentArgs = "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";ignore.paths=/health*"
        + (compression.equals("default") ? "" : ";compression=" + compression);
    try (AppProcess a = AppProcess.start(jdk, Jars.sample(app), agentArgs)) {
      assertThat(a.get("/hello").statusCode()).isEqualTo(200);
      assertThat(a.output()).contains("collector " + collector.otlpUrl() + (compression.equals("gzip") ? " (gzip), " : ", "));
      assertThat(a.get("/status/404").statusCode()).isEqualTo(404);
      assertThat(a.get("/boom").statusCode()).isEqualTo(500);
      assertThat(a.get("/boom").statusCode()).isEqualTo(500);
      assertThat(a.get("/logged-error").statusCode()).isEqualTo(200);
      assertThat(a.get("/async").statusCode()).isEqualTo(202);
      assertThat(a.get("/health").statusCode()).isEqualTo(200);
      assertThat(a.get("/spawn").statusCode()).isEqualTo(200);
      assertThat(a.get("/hello?token=" + SECRET_PARAM + "&x=1",
          "Authorization", SECRET_HEADER, "Cookie", SECRET_COOKIE, "X-Visible", "plain").statusCode()).isEqualTo(200);
      if (spring) {
        assertThat(a.get("/orders/42").statusCode()).isEqualTo(200);
      } else {
        assertThat(a.get("/forward").statusCode()).isEqualTo(200);
        assertThat(a.get("/hello?filter=blocked").statusCode()).isEqualTo(403);
      }

      String q = "service=" + service;
      JsonNode hello = collector.api().awaitRequest(q + "&path=/hello", r -> r.get("query").isNull(), ARRIVAL);
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      assertThat(hello.get("route").asText()).isEqualTo("/hello");
      JsonNode helloDetail = awaitDetail(hello, d -> d.get("logs").size() >= 1);
      JsonNode helloLog = helloDetail.get("logs").get(0);
      assertThat(helloLog.get("message").asText()).isEqualTo("hello from " + app);
      assertThat(helloLog.get("level").asText()).isEqualTo("INFO");
      assertThat(helloLog.get("logger").asText()).contains("SampleApp");
      assertThat(helloLog.get("thread").asText()).isNotBlank();
      assertThat(helloLog.get("traceId").asText()).isEqualTo(hello.get("traceId").asText());
      assertThat(helloLog.get("spanId").asText()).isEqualTo(hello.get("spanId").asText());
      assertThat(hello.get("logCount").asInt()).isEqualTo(1);
      if (spring || app.equals("tomcat11")) {
        // lookout.logs.mdc: the application's own pattern prints %X{trace_id}, from Logback's MDC
        // (Spring Boot) or from Log4j2's context data (Tomcat 11).
        assertThat(a.output()).contains("trace=" + hello.get("traceId").asText() + " - hello from " + app);
      }

      assertThat(collector.api().awaitRequest(q + "&path=" + LookoutApi.encode("/status/*"), r -> true, ARRIVAL)
          .get("status").asInt()).isEqualTo(404);

      // Thrown twice out of a request: two 500s, one exception each, one group of two, although the
      // container logs each of them as well.
      List<JsonNode> booms = awaitCount(q + "&path=/boom", 2);
      for (JsonNode boom : booms) {
        assertThat(boom.get("status").asInt()).isEqualTo(500);
        assertThat(boom.get("exceptionCount").asInt()).isEqualTo(1);
      }
      JsonNode boomGroup = awaitGroup(service, "java.lang.IllegalStateException", 2);
      assertThat(boomGroup.get("message").asText()).isEqualTo("boom from " + app);
      JsonNode boomDetail = collector.api().get("/api/requests/" + booms.get(0).get("traceId").asText()).body();
      JsonNode thrown = boomDetail.get("exceptions").get(0);
      assertThat(thrown.get("stacktrace").asText()).contains("IllegalStateException: boom from " + app)
          .contains("SampleApp");
      assertThat(thrown.get("fingerprint").asText()).isEqualTo(boomGroup.get("fingerprint").asText());

      // Logged with a throwable inside a request: counted on the request, grouped, stack in the log.
      JsonNode logged = collector.api().awaitRequest(q + "&path=/logged-error", r -> true, ARRIVAL);
      assertThat(logged.get("status").asInt()).isEqualTo(200);
      assertThat(logged.get("exceptionCount").asInt()).isEqualTo(1);
      awaitGroup(service, "java.lang.NumberFormatException", 1);
      JsonNode errorLog = awaitDetail(logged, d -> d.get("logs").size() >= 1).get("logs").get(0);
      assertThat(errorLog.get("level").asText()).isEqualTo("ERROR");
      assertThat(errorLog.get("exception").asText()).contains("NumberFormatException");

      // Async: the span ends when the response completes, on the other thread.
      JsonNode async = collector.api().awaitRequest(q + "&path=/async", r -> true, ARRIVAL);
      assertThat(async.get("status").asInt()).isEqualTo(202);
      assertThat(async.get("durationMs").asDouble()).isGreaterThanOrEqualTo(45.0);

      // Uncaught on a worker thread: an ERROR record and an exception group.
      awaitGroup(service, "java.lang.IllegalArgumentException", 1);
      JsonNode uncaught = awaitLog(q + "&q=" + LookoutApi.encode("worker died"));
      assertThat(uncaught.get("level").asText()).isEqualTo("ERROR");
      assertThat(uncaught.get("thread").asText()).isEqualTo("sample-worker");

      // Redacted in the agent: masked in what arrived, and absent from every byte stored.
      JsonNode withSecrets = collector.api().awaitRequest(q + "&path=/hello",
          r -> r.get("query").asText().startsWith("token="), ARRIVAL);
      assertThat(withSecrets.get("query").asText()).isEqualTo("token=***&x=1");
      JsonNode allHeaders = collector.api().get("/api/requests/" + withSecrets.get("traceId").asText()).body()
          .get("request").get("headers");
      JsonNode headers = allHeaders.get("request");
      assertThat(headers.get("authorization").get(0).asText()).isEqualTo("***");
      assertThat(headers.get("cookie").get(0).asText()).isEqualTo("***");
      assertThat(headers.get("x-visible").get(0).asText()).isEqualTo("plain");
      if (!spring) {
        // set by the sample's filter; on Tomcat read from its own MimeHeaders (TomcatHeaders)
        assertThat(allHeaders.get("response").get("x-sample-filter").get(0).asText()).isEqualTo("yes");
      }

      if (spring) {
        JsonNode order = collector.api().awaitRequest(q + "&path=/orders/42", r -> true, ARRIVAL);
        assertThat(order.get("route").asText()).isEqualTo("/orders/{id}");
      } else {
        assertThat(collector.api().awaitRequest(q + "&path=/hello", r -> r.get("status").asInt() == 403, ARRIVAL)
            .get("query").asText()).isEqualTo("filter=blocked");
        // A forward is one request, under the path the client asked for.
        collector.api().awaitRequest(q + "&path=/forward", r -> true, ARRIVAL);
        assertThat(collector.api().requests(q + "&path=/forward")).hasSize(1);
      }
      // Everything else has arrived by now; the ignored path never will, nor will the error page
      // Spring Boot's Tomcat dispatched each /boom to: it is part of the request that failed.
      assertThat(collector.api().requests(q + "&path=" + LookoutApi.encode("/health*"))).isEmpty();
      assertThat(collector.api().requests(q + "&path=/error")).isEmpty();
      assertNoSecretsStored();
    }
  }

  private static void assertNoSecretsStored() throws IOException {
    try (Stream<Path> files = Files.walk(collector.dataDir())) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(bytes).as(f.toString())
            .doesNotContain("top-secret-header-value")
            .doesNotContain("cookie-secret-value")
            .doesNotContain(SECRET_PARAM);
      }
    }
  }

  private static JsonNode awaitDetail(JsonNode request, java.util.function.Predicate<JsonNode> ready) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    JsonNode detail;
    do {
      detail = collector.api().get("/api/requests/" + request.get("traceId").asText()).body();
      if (ready.test(detail)) {
        return detail;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("detail never satisfied the condition: " + detail);
  }

  private static List<JsonNode> awaitCount(String query, int count) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> items;
    do {
      items = collector.api().requests(query);
      if (items.size() >= count) {
        assertThat(items).hasSize(count);
        return items;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("expected " + count + " requests for " + query + ", got " + items);
  }

  /** The exception group of that type, once it has exactly {@code count} occurrences (and never more). */
  private static JsonNode awaitGroup(String service, String type, int count) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    JsonNode last = null;
    do {
      for (JsonNode g : collector.api().get("/api/exceptions?service=" + service).body().get("items")) {
        if (g.get("type").asText().equals(type)) {
          last = g;
        }
      }
      if (last != null && last.get("count").asInt() >= count) {
        sleep(1500); // a duplicate would arrive with the next export batch
        for (JsonNode g : collector.api().get("/api/exceptions?service=" + service).body().get("items")) {
          if (g.get("type").asText().equals(type)) {
            assertThat(g.get("count").asInt()).as(type + " counted once per occurrence").isEqualTo(count);
            return g;
          }
        }
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no group of " + type + " with " + count + " occurrences; last: " + last);
  }

  private static JsonNode awaitLog(String query) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    do {
      JsonNode items = collector.api().get("/api/logs?" + query).body().get("items");
      if (items.size() > 0) {
        return items.get(0);
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no log for " + query);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
