package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.TestPostgres;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.OtlpLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector jar on a real PostgreSQL ({@code --db postgresql://…}): a real application's
 * requests, logs and exceptions read back through the HTTP API, and every acknowledged span
 * still there after {@code kill -9} and a restart on the same database.
 */
class PostgresBackendIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @Test
  void aRealApplicationsRequestsLogsAndExceptionsAreStoredAndReadBack() {
    String db = TestPostgres.freshDatabase();
    try (CollectorProcess c = CollectorProcess.start("--no-auth", "--db", db)) {
      assertThat(startupLine(c)).contains("data PostgreSQL 127.0.0.1:").contains(" as postgres");
      LookoutApi api = c.api();
      String service = "pg-" + UUID.randomUUID().toString().substring(0, 6);
      try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.sample("tomcat11"),
          "collector.url=" + c.otlpUrl() + ";service.name=" + service)) {
        assertThat(app.get("/hello").statusCode()).isEqualTo(200);
        assertThat(app.get("/boom").statusCode()).isEqualTo(500);
        assertThat(app.get("/logged-error").statusCode()).isEqualTo(200);
        String q = "service=" + service;
        assertThat(api.awaitRequest(q, r -> r.get("path").asText().equals("/hello"), ARRIVAL).get("status").asInt())
            .isEqualTo(200);
        JsonNode boom = api.awaitRequest(q + "&status=5xx", r -> r.get("path").asText().equals("/boom"), ARRIVAL);
        assertThat(boom.get("exceptionCount").asInt()).isEqualTo(1);
        JsonNode logged = api.awaitRequest(q + "&path=/logged-error", r -> true, ARRIVAL);
        assertThat(logged.get("exceptionCount").asInt()).isEqualTo(1);

        JsonNode log = await(api, "/api/logs?" + q + "&q=" + LookoutApi.encode("parse order number"));
        assertThat(log.get("level").asText()).isEqualTo("ERROR");
        assertThat(log.get("exception").asText()).contains("NumberFormatException");
        JsonNode group = await(api, "/api/exceptions?" + q);
        assertThat(group.get("service").asText()).isEqualTo(service);
        assertThat(api.get("/api/exceptions?" + q).body().get("items")).extracting(g -> g.get("type").asText())
            .contains("java.lang.NumberFormatException");

        JsonNode stats = api.get("/api/stats").body();
        assertThat(stats.get("rows").get("requests").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(stats.get("dbSizeBytes").asLong()).isPositive();
        assertThat(api.get("/healthz").status()).isEqualTo(200);
      }
    }
  }

  @Test
  void everyAcknowledgedSpanSurvivesKillDashNineAndARestart(@TempDir Path data) throws Exception {
    String db = TestPostgres.freshDatabase();
    int port = ForkedProcess.freePort();
    int otlpPort = ForkedProcess.freePort();
    OtlpLoad load;
    try (CollectorProcess c = CollectorProcess.start(data, port, otlpPort, "--no-auth", "--db", db)) {
      load = new OtlpLoad(c.otlpUrl(), 4, 100, Duration.ofMillis(50));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (load.ackedSpans() < 20_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      c.kill(); // SIGKILL with batches in flight
      load.close();
    }
    assertThat(load.ackedSpans()).isGreaterThanOrEqualTo(20_000);
    assertThat(load.givenUp()).as("batches refused until given up").isZero();

    try (CollectorProcess again = CollectorProcess.start(data, port, otlpPort, "--no-auth", "--db", db)) {
      Set<String> stored = new HashSet<>();
      String cursor = null;
      do {
        JsonNode page = again.api().get("/api/requests?service=" + OtlpLoad.SERVICE + "&limit=1000"
            + (cursor == null ? "" : "&cursor=" + LookoutApi.encode(cursor))).body();
        page.get("items").forEach(i -> stored.add(i.get("path").asText()));
        cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      } while (cursor != null);
      long missing = 0;
      for (OtlpLoad.Acked a : load.acked()) {
        for (int i = 0; i < a.spans(); i++) {
          if (!stored.contains(OtlpLoad.path(a.agent(), a.batch(), i))) {
            missing++;
          }
        }
      }
      assertThat(missing).as("acknowledged spans missing after kill -9").isZero();
      System.out.printf("PostgreSQL kill -9: %d spans acknowledged (%d batches answered 503 and retried, %d unknown),"
          + " all present after restart among %d stored%n", load.ackedSpans(), load.refused(), load.unknown(),
          stored.size());
    }
  }

  /** The whole startup line (the process is taken as started as soon as its first words appear). */
  private static String startupLine(CollectorProcess c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : c.output().split("\n")) {
        if (line.contains("Lookout collector started") && line.contains(", cap ")) {
          return line;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no whole startup line in:\n" + c.output());
  }

  private static JsonNode await(LookoutApi api, String pathAndQuery) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    do {
      JsonNode items = api.get(pathAndQuery).body().get("items");
      if (items.size() > 0) {
        return items.get(0);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("nothing for " + pathAndQuery + " within " + ARRIVAL);
  }
}
