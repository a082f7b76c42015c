package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} for a Prometheus/Grafana user: RED series per service counted from what was
 * ingested, and a scrape without login only with {@code --public-metrics}.
 */
class PrometheusMetricsTest {

  private static final String PASSWORD = "metrics-Passw0rd";

  @TempDir
  Path dataDir;

  @Test
  void requestsErrorsAndDurationsPerServiceAreScrapedWithoutLoginUnderPublicMetrics() throws Exception {
    long now = System.currentTimeMillis();
    try (InProcessCollector c = InProcessCollector.withLogin(dataDir, PASSWORD, "--public-metrics")) {
      assertThat(c.post("/v1/traces", Otlp.traces("shop", List.of(
          Otlp.serverSpan(now - 50, 3, "GET", "/a", 200),
          Otlp.serverSpan(now - 40, 40, "GET", "/b", 503),
          Otlp.serverSpan(now - 30, 2000, "POST", "/c", 500))).toByteArray(), "application/x-protobuf").statusCode())
          .isEqualTo(200);
      assertThat(c.post("/v1/traces", Otlp.traces("odd \"name\"", List.of(
          Otlp.serverSpan(now - 20, 7, "GET", "/d", 404))).toByteArray(), "application/x-protobuf").statusCode())
          .isEqualTo(200);

      HttpResponse<String> scrape = c.fetch("/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
      List<String> lines = scrape.body().lines().toList();
      assertThat(lines).contains(
          "# TYPE lookout_http_server_requests_total counter",
          "lookout_http_server_requests_total{service=\"shop\"} 3",
          "lookout_http_server_errors_total{service=\"shop\"} 2",
          "# TYPE lookout_http_server_request_duration_seconds histogram",
          "lookout_http_server_request_duration_seconds_bucket{service=\"shop\",le=\"0.005\"} 1",
          "lookout_http_server_request_duration_seconds_bucket{service=\"shop\",le=\"0.05\"} 2",
          "lookout_http_server_request_duration_seconds_bucket{service=\"shop\",le=\"1.0\"} 2",
          "lookout_http_server_request_duration_seconds_bucket{service=\"shop\",le=\"2.5\"} 3",
          "lookout_http_server_request_duration_seconds_bucket{service=\"shop\",le=\"+Inf\"} 3",
          "lookout_http_server_request_duration_seconds_sum{service=\"shop\"} 2.043",
          "lookout_http_server_request_duration_seconds_count{service=\"shop\"} 3",
          "lookout_http_server_requests_total{service=\"odd \\\"name\\\"\"} 1",
          "lookout_http_server_errors_total{service=\"odd \\\"name\\\"\"} 0");
      assertThat(lines).as("the collector's own metrics stay").anyMatch(l -> l.startsWith("lookout_ingest_rows_total "));
    }
  }

  @Test
  void withoutPublicMetricsAScrapeNeedsALogin() throws Exception {
    try (InProcessCollector c = InProcessCollector.withLogin(dataDir, PASSWORD)) {
      HttpResponse<String> anonymous = c.fetch("/metrics");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.body()).contains("\"error\"").doesNotContain("lookout_");
      HttpResponse<String> authorized = c.fetch("/metrics", c.login(PASSWORD));
      assertThat(authorized.statusCode()).isEqualTo(200);
      assertThat(authorized.body()).contains("# TYPE lookout_http_server_requests_total counter");
    }
  }
}
