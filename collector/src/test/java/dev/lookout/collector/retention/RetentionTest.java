package dev.lookout.collector.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention rules enforced against a real collector on each store (a real SQLite file, a real PostgreSQL). */
@ParameterizedClass
@EnumSource(Store.class)
class RetentionTest {
  @Parameter
  Store store;


  private static final long DAY = 86_400_000L;

  @TempDir
  Path dataDir;

  @Test
  void rowsOlderThanTheirSignalsAgeGoAndAreCounted() throws Exception {
    String[] storeArgs = store.freshArgs();
    try (InProcessCollector c = new InProcessCollector(dataDir, InProcessCollector.args(storeArgs, "--retention",
        "30d,requests=7d"))) {
      long now = System.currentTimeMillis();
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        spans.add(Otlp.serverSpan(now - 10 * DAY + i, 5, "GET", "/old", 200));
      }
      for (int i = 0; i < 5; i++) {
        spans.add(Otlp.serverSpan(now - i, 5, "GET", "/new", 200));
      }
      assertThat(c.post("/v1/traces", Otlp.traces("svc", spans).toByteArray(), "application/x-protobuf").statusCode())
          .isEqualTo(200);
      assertThat(c.post("/v1/logs", Otlp.logs("svc", List.of(Otlp.log(now - 10 * DAY, "old but kept"))).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      c.collector.retention().enforce();
      assertThat(c.get("/api/requests?limit=100").get("items")).hasSize(5)
          .allSatisfy(r -> assertThat(r.get("path").asText()).isEqualTo("/new"));
      assertThat(c.get("/api/logs").get("items")).hasSize(1);
      JsonNode stats = c.get("/api/stats");
      assertThat(stats.get("rows").get("requests").asLong()).isEqualTo(5);
      assertThat(stats.get("retentionDeleted").get("requests").asLong()).isEqualTo(30);
      assertThat(stats.get("retentionMs").get("requests").asLong()).isEqualTo(7 * DAY);
      assertThat(stats.get("retentionMs").get("logs").asLong()).isEqualTo(30 * DAY);
    }
    // The count survives a restart.
    try (InProcessCollector c = new InProcessCollector(dataDir, storeArgs)) {
      assertThat(c.get("/api/stats").get("retentionDeleted").get("requests").asLong()).isEqualTo(30);
    }
  }

  @Test
  void maxRowsKeepsTheNewest() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir, InProcessCollector.args(store.freshArgs(), "--max-rows",
        "logs=100"))) {
      long now = System.currentTimeMillis();
      for (int batch = 0; batch < 3; batch++) {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          logs.add(Otlp.log(now + batch * 100 + i, "line " + (batch * 100 + i)));
        }
        c.post("/v1/logs", Otlp.logs("svc", logs).toByteArray(), "application/x-protobuf");
      }
      c.collector.retention().enforce();
      JsonNode stats = c.get("/api/stats");
      assertThat(stats.get("rows").get("logs").asLong()).isEqualTo(100);
      assertThat(c.get("/api/logs?limit=1").get("items").get(0).get("message").asText()).isEqualTo("line 299");
    }
  }

  @Test
  void theDatabaseStaysUnderItsSizeCap() throws Exception {
    long cap = 3L * 1024 * 1024;
    try (InProcessCollector c = new InProcessCollector(dataDir, InProcessCollector.args(store.freshArgs(), "--max-db-size",
        "3MB"))) {
      long now = System.currentTimeMillis();
      String filler = "x".repeat(900);
      for (int batch = 0; batch < 40; batch++) {
        List<LogRecord> logs = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          logs.add(Otlp.log(now + batch * 250 + i, "batch " + batch + " line " + i + " " + filler));
        }
        assertThat(c.post("/v1/logs", Otlp.logs("svc", logs).toByteArray(), "application/x-protobuf").statusCode())
            .isEqualTo(200);
        c.collector.retention().enforce();
        long size = store == Store.SQLITE ? Files.size(dataDir.resolve("lookout.db"))
            : c.get("/api/stats").get("dbSizeBytes").asLong();
        assertThat(size).as("after batch " + batch).isLessThanOrEqualTo(cap);
      }
      JsonNode stats = c.get("/api/stats");
      assertThat(stats.get("retentionDeleted").get("logs").asLong()).isPositive();
      assertThat(stats.get("maxDbSizeBytes").asLong()).isEqualTo(cap);
      // The newest record is still there; the oldest are gone.
      assertThat(c.get("/api/logs?limit=1").get("items").get(0).get("message").asText()).startsWith("batch 39 line 249");
      assertThat(c.get("/api/logs?from=" + now + "&to=" + (now + 250)).get("items")).isEmpty();
    }
  }

  @Test
  void overviewChartsComeFromTheRollups() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      long minute = (System.currentTimeMillis() / 60_000 - 5) * 60_000;
      List<Span> spans = new ArrayList<>();
      for (int i = 1; i <= 100; i++) {
        spans.add(Otlp.serverSpan(minute + i, i, "GET", "/orders", i <= 10 ? 500 : 200));
      }
      c.post("/v1/traces", Otlp.traces("shop", spans).toByteArray(), "application/x-protobuf");
      JsonNode o = c.get("/api/overview?service=shop&from=" + (minute - 60_000) + "&to=" + (minute + 120_000)
          + "&buckets=3");
      JsonNode point = o.get("series").get(1);
      assertThat(point.get("time").asLong()).isEqualTo(minute);
      assertThat(point.get("requests").asLong()).isEqualTo(100);
      assertThat(point.get("errors").asLong()).isEqualTo(10);
      assertThat(point.get("p50").asDouble()).isBetween(50 * 0.88, 50 * 1.12);
      assertThat(point.get("p95").asDouble()).isBetween(95 * 0.88, 95 * 1.12);
      assertThat(o.get("series").get(0).get("requests").asLong()).isZero();
      assertThat(o.get("slowRoutes").get(0).get("route").asText()).isEqualTo("/orders");
      assertThat(o.get("slowRoutes").get(0).get("max").asDouble()).isEqualTo(100.0);
    }
  }
}
