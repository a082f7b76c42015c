package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.SharedCollector;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One request travels the whole path: a Jetty 12 app with the real agent jar, OTLP to a real
 * collector process, SQLite, and back out of the collector's HTTP API and live stream.
 */
class WalkingSkeletonIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(20);

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  static List<Path> jdks() {
    return Jars.applicationJdks();
  }

  private static String agentArgs(String service) {
    return "collector.url=" + collector.otlpUrl() + ";service.name=" + service;
  }

  @ParameterizedTest(name = "app on {0}")
  @MethodSource("jdks")
  void eachRequestArrivesWithMethodPathStatusAndDuration(Path jdk) {
    String service = "skeleton-" + UUID.randomUUID().toString().substring(0, 8);
    try (AppProcess app = AppProcess.start(jdk, Jars.jettySample(), agentArgs(service))) {
      assertThat(app.get("/hello").statusCode()).isEqualTo(200);
      assertThat(app.get("/status/404").statusCode()).isEqualTo(404);
      assertThat(app.get("/boom").statusCode()).isEqualTo(500);
      assertThat(app.post("/api/items/7?source=test", "{\"a\":1}", "application/json").statusCode()).isEqualTo(201);
      assertThat(app.get("/async").statusCode()).isEqualTo(202);
      assertThat(app.get("/async-dispatch").statusCode()).isEqualTo(200);

      String q = "service=" + service;
      JsonNode hello = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/hello"), ARRIVAL);
      assertThat(hello.get("method").asText()).isEqualTo("GET");
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      assertThat(hello.get("durationMs").asDouble()).isPositive();
      assertThat(hello.get("traceId").asText()).matches("[0-9a-f]{32}");
      assertThat(hello.get("spanId").asText()).matches("[0-9a-f]{16}");
      assertThat(hello.get("clientAddress").asText()).isEqualTo("127.0.0.1");
      assertThat(hello.get("startTime").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));

      assertThat(collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/status/404"), ARRIVAL)
          .get("status").asInt()).isEqualTo(404);
      JsonNode boom = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/boom"), ARRIVAL);
      assertThat(boom.get("status").asInt()).isEqualTo(500);
      assertThat(boom.get("exceptionCount").asInt()).isEqualTo(1);
      JsonNode post = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/api/items/7"), ARRIVAL);
      assertThat(post.get("method").asText()).isEqualTo("POST");
      assertThat(post.get("status").asInt()).isEqualTo(201);
      assertThat(post.get("query").asText()).isEqualTo("source=test");

      // Async: the span ends when another thread completes the response, or with the async dispatch's
      // pass through the servlet; one span each.
      JsonNode async = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/async"), ARRIVAL);
      assertThat(async.get("status").asInt()).isEqualTo(202);
      assertThat(async.get("durationMs").asDouble()).isGreaterThanOrEqualTo(45.0);
      JsonNode dispatched = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/async-dispatch"),
          ARRIVAL);
      assertThat(dispatched.get("status").asInt()).isEqualTo(200);
      assertThat(dispatched.get("durationMs").asDouble()).isGreaterThanOrEqualTo(25.0);

      // Recorded once per request, even though filters and nested service() calls all carry the advice.
      assertThat(collector.api().requests(q)).hasSize(6);
    }
  }

  @Test
  void filtersNarrowTheRowsAndPagesFollowTheCursor() {
    String service = "filters-" + UUID.randomUUID().toString().substring(0, 8);
    try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(), agentArgs(service))) {
      for (int i = 0; i < 5; i++) {
        app.get("/hello");
      }
      app.get("/status/503");
      app.get("/status/404");
      app.post("/api/items/1", "x", "text/plain");
      String q = "service=" + service;
      collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/api/items/1"), ARRIVAL);
      collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/status/503"), ARRIVAL);
      collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/status/404"), ARRIVAL);
      assertThat(paths(collector.api().requests(q + "&status=5xx"))).containsExactly("/status/503");
      assertThat(paths(collector.api().requests(q + "&status=404"))).containsExactly("/status/404");
      assertThat(paths(collector.api().requests(q + "&method=POST"))).containsExactly("/api/items/1");
      assertThat(paths(collector.api().requests(q + "&path=" + LookoutApi.encode("/status/*")))).hasSize(2);
      assertThat(paths(collector.api().requests(q + "&path=" + LookoutApi.encode("regex:^/api/items/[0-9]+$"))))
          .containsExactly("/api/items/1");
      assertThat(collector.api().requests("service=no-such-service")).isEmpty();

      // Three pages of three, newest first, no row twice.
      LookoutApi.Answer first = collector.api().get("/api/requests?" + q + "&limit=3");
      assertThat(first.body().get("items")).hasSize(3);
      String cursor = first.body().get("nextCursor").asText();
      LookoutApi.Answer second = collector.api().get("/api/requests?" + q + "&limit=3&cursor=" + cursor);
      assertThat(second.body().get("items")).hasSize(3);
      LookoutApi.Answer third = collector.api().get("/api/requests?" + q + "&limit=3&cursor="
          + second.body().get("nextCursor").asText());
      assertThat(third.body().get("items")).hasSize(2);
      assertThat(third.body().get("nextCursor").isNull()).isTrue();
      List<String> spanIds = new java.util.ArrayList<>();
      for (LookoutApi.Answer page : List.of(first, second, third)) {
        page.body().get("items").forEach(i -> spanIds.add(i.get("spanId").asText()));
      }
      assertThat(spanIds).doesNotHaveDuplicates().hasSize(8);
      long previous = Long.MAX_VALUE;
      for (LookoutApi.Answer page : List.of(first, second, third)) {
        for (JsonNode i : page.body().get("items")) {
          assertThat(i.get("startTime").asLong()).isLessThanOrEqualTo(previous);
          previous = i.get("startTime").asLong();
        }
      }
    }
  }

  @Test
  void badParametersAreRejectedByName() {
    for (String[] bad : new String[][] {
        {"status=abc", "status"}, {"status=7xx", "status"}, {"limit=0", "limit"}, {"limit=100000", "limit"},
        {"from=yesterday", "from"}, {"cursor=!!!", "cursor"}, {"method=FETCH", "method"},
        {"path=" + LookoutApi.encode("regex:(["), "path"}, {"minDurationMs=-1", "minDurationMs"}}) {
      LookoutApi.Answer a = collector.api().get("/api/requests?" + bad[0]);
      assertThat(a.status()).as(bad[0]).isEqualTo(400);
      assertThat(a.body().get("error").asText()).as(bad[0]).contains("'" + bad[1] + "'");
    }
    assertThat(collector.api().get("/healthz").status()).isEqualTo(200);
  }

  @Test
  void aLiveClientReceivesANewRequest() throws Exception {
    String service = "live-" + UUID.randomUUID().toString().substring(0, 8);
    try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(), agentArgs(service));
         LookoutApi.LiveStream live = collector.api().live("service=" + service + "&status=4xx")) {
      app.get("/hello"); // filtered out server-side: not 4xx
      long sent = System.nanoTime();
      app.get("/status/418");
      LookoutApi.Event event = live.await("request", r -> true, ARRIVAL);
      assertThat(event.json().get("path").asText()).isEqualTo("/status/418");
      assertThat(event.json().get("status").asInt()).isEqualTo(418);
      System.out.printf("live: request to SSE event in %.0f ms%n", (event.receivedNanos() - sent) / 1e6);
    }
  }

  @Test
  void theApplicationBehavesIdenticallyWithTheAgentDisabled() {
    String service = "disabled-" + UUID.randomUUID().toString().substring(0, 8);
    Path jdk = Jars.applicationJdks().get(0);
    List<String> paths = List.of("/hello", "/status/404", "/boom", "/api/items/3");
    List<String> without;
    try (AppProcess plain = AppProcess.start(jdk, Jars.jettySample(), null)) {
      without = answers(plain, paths);
    }
    try (AppProcess disabled = AppProcess.start(jdk, Jars.jettySample(), agentArgs(service) + ";enabled=false;debug=true")) {
      assertThat(answers(disabled, paths)).isEqualTo(without);
      // With debug on, an agent that did anything would say "[lookout] instrumented …".
      assertThat(disabled.output()).doesNotContain("[lookout]");
    }
    try (AppProcess enabled = AppProcess.start(jdk, Jars.jettySample(), agentArgs(service + "-on"))) {
      assertThat(answers(enabled, paths)).isEqualTo(without);
      collector.api().awaitRequest("service=" + service + "-on",
          r -> r.get("path").asText().equals("/api/items/3"), ARRIVAL);
    }
    // Everything the enabled run sent has arrived by now; the disabled run sent nothing.
    assertThat(collector.api().requests("service=" + service)).isEmpty();
  }

  private static List<String> answers(AppProcess app, List<String> paths) {
    return paths.stream().map(p -> {
      HttpResponse<String> r = app.get(p);
      String body = r.body().replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:PORT");
      return r.statusCode() + " " + r.headers().firstValue("content-type").orElse("") + " " + body;
    }).collect(Collectors.toList());
  }

  /**
   * An application that logs once and exits at once: the record is made before the export pipeline
   * exists (it is built after the first request, or later), waits in the agent's start-up buffer, and
   * leaves through the exit's flush.
   */
  @ParameterizedTest(name = "app on {0}")
  @MethodSource("jdks")
  void aLogLineOfAnApplicationThatExitsAtOnceArrives(Path jdk, @org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    String service = "brief-" + UUID.randomUUID().toString().substring(0, 8);
    java.nio.file.Files.writeString(dir.resolve("Brief.java"), "public class Brief { public static void main(String[] a) {"
        + " java.util.logging.Logger.getLogger(\"brief\").warning(\"leaving at once\"); } }");
    assertThat(javax.tools.ToolProvider.getSystemJavaCompiler()
        .run(null, null, null, "--release", "17", "-d", dir.toString(), dir.resolve("Brief.java").toString())).isZero();
    Process p = new ProcessBuilder(Jars.javaOf(jdk), "-javaagent:" + Jars.agent() + "=" + agentArgs(service),
        "-cp", dir.toString(), "Brief").redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("the application exited").isTrue();

    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    JsonNode items;
    do {
      items = collector.api().get("/api/logs?service=" + service).body().get("items");
      if (items != null && items.size() > 0) {
        break;
      }
      Thread.sleep(200);
    } while (System.nanoTime() < deadline);
    assertThat(items).as(java.nio.file.Files.readString(dir.resolve("out.txt"))).hasSize(1);
    assertThat(items.get(0).get("message").asText()).isEqualTo("leaving at once");
  }

  /**
   * A request that comes with a W3C traceparent joins the caller's trace, and its User-Agent is kept:
   * taken from the walk over the request headers when they are captured (the header names in any case),
   * and asked of the container when they are not.
   */
  @ParameterizedTest(name = "headers captured: {0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void anIncomingTraceparentMakesTheRequestPartOfTheCallersTrace(boolean captured) {
    String service = "joined-" + UUID.randomUUID().toString().substring(0, 8);
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String parentId = traceId.substring(8, 24);
    String args = agentArgs(service) + (captured ? "" : ";capture.headers=false");
    try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(), args)) {
      assertThat(app.get("/hello", "TraceParent", "00-" + traceId + "-" + parentId + "-01",
          "User-Agent", "lookout-it/1.0", "X-Repeated", "one", "X-Repeated", "two").statusCode()).isEqualTo(200);
      JsonNode joined = collector.api().awaitRequest("service=" + service,
          r -> r.get("traceId").asText().equals(traceId), ARRIVAL);
      JsonNode detail = collector.api().get("/api/requests/" + joined.get("traceId").asText()).body().get("request");
      assertThat(detail.get("attributes").get("user_agent.original").asText()).isEqualTo("lookout-it/1.0");
      JsonNode requestHeaders = detail.get("headers").get("request");
      if (captured) {
        // On Jetty 12 these are read from Jetty's own field lists (JettyHeaders), not the servlet API.
        assertThat(requestHeaders.get("traceparent").get(0).asText()).isEqualTo("00-" + traceId + "-" + parentId + "-01");
        assertThat(requestHeaders.get("x-repeated")).extracting(JsonNode::asText).containsExactly("one", "two");
        assertThat(detail.get("headers").get("response").get("content-type").get(0).asText()).startsWith("text/plain");
      } else {
        assertThat(requestHeaders.size()).isZero();
      }
    }
  }

  private static List<String> paths(List<JsonNode> items) {
    return items.stream().map(i -> i.get("path").asText()).collect(Collectors.toList());
  }
}
