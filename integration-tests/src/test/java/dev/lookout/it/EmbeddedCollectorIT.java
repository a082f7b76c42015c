package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code lookout.embedded}: the collector and its UI inside the application's JVM, fed in process. A Jetty 12
 * application and a Spring Boot (Tomcat) application, each with the real agent jar and the real collector
 * jar: the UI/API of the embedded collector lists their requests, logs and exceptions; they answer exactly
 * as without the agent; no collector class is visible to them; the collector's own requests are never
 * recorded; a restart on the same data directory finds the history, after a clean exit and after kill -9.
 */
class EmbeddedCollectorIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static Stream<Arguments> apps() {
    return Stream.of(
        Arguments.of("jetty12", Jars.jettySample(), "/boom"),
        Arguments.of("spring-boot", Jars.sample("spring-boot"), "/boom"));
  }

  private static AppProcess startEmbedded(Path app, String service, Path dataDir, int uiPort) {
    return AppProcess.startStderrApart(Path.of(System.getProperty("java.home")), app,
        "service.name=" + service + ";embedded=" + Jars.collector() + ";embedded.port=" + uiPort
            + ";embedded.data.dir=" + dataDir,
        "-Dlookout.embedded.options=--no-auth --retention 1d");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void theApplicationsOwnUiListsItsRequestsLogsAndExceptions(String name, Path app, String failing,
      @TempDir Path dir) throws Exception {
    String service = "embedded-" + name;
    Path data = dir.resolve("lookout-data");
    int uiPort = ForkedProcess.freePort();
    List<String> plainAnswers;
    try (AppProcess plain = AppProcess.start(Path.of(System.getProperty("java.home")), app, null)) {
      plainAnswers = answers(plain);
    }
    try (AppProcess embedded = startEmbedded(app, service, data, uiPort)) {
      assertThat(answers(embedded)).as("the application answers as without the agent").isEqualTo(plainAnswers);
      assertThat(embedded.get("/load-class?name=dev.lookout.collector.Embedded").statusCode())
          .as("the collector's classes are not the application's").isEqualTo(404);
      assertThat(embedded.get("/load-class?name=io.javalin.Javalin").statusCode()).isEqualTo(404);
      assertThat(embedded.get("/load-class?name=org.sqlite.JDBC").statusCode()).isEqualTo(404);

      LookoutApi api = new LookoutApi("http://127.0.0.1:" + uiPort);
      JsonNode hello = await(api, "service=" + service, r -> r.get("path").asText().equals("/hello"));
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      JsonNode boom = await(api, "service=" + service, r -> r.get("path").asText().equals(failing));
      assertThat(boom.get("status").asInt()).isEqualTo(500);
      JsonNode detail = api.get("/api/requests/" + boom.get("traceId").asText()).body();
      assertThat(detail.get("exceptions").size()).as("the exception of " + failing).isGreaterThan(0);
      if (name.equals("spring-boot")) {
        JsonNode logs = awaitItems(api, "/api/logs?service=" + service + "&q=hello", 1);
        assertThat(logs.get(0).get("message").asText()).contains("hello from spring-boot");
      }
      try (LookoutApi.LiveStream live = api.live("service=" + service + "&status=4xx")) {
        embedded.get("/status/404");
        LookoutApi.Event event = live.await("request", r -> true, ARRIVAL);
        assertThat(event.json().get("path").asText()).as("live, as standalone").isEqualTo("/status/404");
      }
      HttpResponse<String> ui = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ui.statusCode()).isEqualTo(200);
      assertThat(ui.body()).containsIgnoringCase("<html");

      // The collector's own requests (the API calls above) are the agent's: never recorded as the app's.
      ForkedProcess.sleep(1_500);
      for (JsonNode r : api.requests("service=" + service + "&limit=200")) {
        assertThat(r.get("path").asText()).doesNotStartWith("/api/");
      }
      assertThat(api.get("/api/services").body().get("items").size()).as("one service: the application").isEqualTo(1);
      assertThat(embedded.output()).as("the collector writes nothing on the application's stdout")
          .doesNotContain("Lookout collector").doesNotContain("[lookout]");
      assertThat(embedded.stderr()).contains("Lookout collector started").contains("OTLP in process");
      // Made just before the exit, not awaited: the exit flushes the agent into the store, then closes it.
      assertThat(embedded.get("/status/203").statusCode()).isEqualTo(203);
    }

    // A clean exit committed everything: the history is there after a restart on the same directory.
    try (AppProcess again = startEmbedded(app, service, data, uiPort)) {
      // the collector starts once the application served its first request
      assertThat(again.get("/status/418").statusCode()).isEqualTo(418);
      LookoutApi api = new LookoutApi("http://127.0.0.1:" + uiPort);
      assertThat(await(api, "service=" + service, r -> r.get("path").asText().equals(failing))).isNotNull();
      assertThat(await(api, "service=" + service, r -> r.get("path").asText().equals("/status/203"))).isNotNull();
      await(api, "service=" + service, r -> r.get("path").asText().equals("/status/418"));
      again.kill(); // kill -9: what the collector committed stays
    }
    try (AppProcess third = startEmbedded(app, service, data, uiPort)) {
      assertThat(third.get("/hello").statusCode()).isEqualTo(200);
      LookoutApi api = new LookoutApi("http://127.0.0.1:" + uiPort);
      assertThat(await(api, "service=" + service, r -> r.get("path").asText().equals("/status/418"))).isNotNull();
    }
    assertThat(Files.exists(data.resolve("lookout.db"))).isTrue();
  }

  /** An application that serves nothing yet still gets its UI: the collector starts 20 s after the agent at the latest. */
  @org.junit.jupiter.api.Test
  void anIdleApplicationGetsItsUiWithoutARequest(@TempDir Path dir) throws Exception {
    int uiPort = ForkedProcess.freePort();
    try (AppProcess idle = startEmbedded(Jars.jettySample(), "embedded-idle", dir.resolve("data"), uiPort)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int status = 0;
      while (status != 200 && System.nanoTime() < deadline) {
        try {
          status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/healthz")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException notYet) {
          ForkedProcess.sleep(500);
        }
      }
      assertThat(status).as("the embedded UI came up although the application served nothing").isEqualTo(200);
      assertThat(idle.stderr()).contains("Lookout collector started");
    }
  }

  /** What the application answers to a fixed set of requests: status and body of each. */
  private static List<String> answers(AppProcess app) {
    List<String> out = new ArrayList<>();
    for (String path : List.of("/hello", "/status/404", "/status/201", "/boom")) {
      HttpResponse<String> r = app.get(path);
      String body = r.body();
      // error pages carry a time stamp (Spring Boot's JSON error) or nothing stable: their status tells enough
      out.add(path + " " + r.statusCode() + (r.statusCode() >= 500 ? "" : " " + body));
    }
    return out;
  }

  private static JsonNode await(LookoutApi api, String query, Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        for (JsonNode r : api.requests(query + "&limit=200")) {
          if (wanted.test(r)) {
            return r;
          }
        }
      } catch (IllegalStateException notUpYet) {
        // the embedded collector starts after the application: its port may not answer yet
      }
      ForkedProcess.sleep(250);
    }
    throw new AssertionError("no request matching in " + query + " within " + ARRIVAL);
  }

  private static JsonNode awaitItems(LookoutApi api, String pathAndQuery, int atLeast) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    JsonNode items = null;
    while (System.nanoTime() < deadline) {
      LookoutApi.Answer a = api.get(pathAndQuery);
      if (a.status() == 200 && (items = a.body().get("items")).size() >= atLeast) {
        return items;
      }
      ForkedProcess.sleep(250);
    }
    throw new AssertionError(pathAndQuery + " had " + items + " within " + ARRIVAL);
  }
}
