package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.SharedCollector;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The collector is an OTLP backend, not only Lookout's: what the plain OpenTelemetry Java SDK
 * exporter and the OpenTelemetry Java agent send arrives as requests and logs in the API.
 */
class OtelCompatibilityIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final Path OTEL_AGENT = Jars.root().resolve("integration-tests/target/otel/opentelemetry-javaagent.jar");

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  @Test
  void thePlainSdkExporterWithGzipIsStoredAsRequestsAndLogs() {
    String service = "sdk-" + UUID.randomUUID().toString().substring(0, 8);
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), service)));
    OtlpHttpSpanExporter spans = OtlpHttpSpanExporter.builder()
        .setEndpoint(collector.otlpUrl() + "/v1/traces").setCompression("gzip").build();
    OtlpHttpLogRecordExporter logs = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(collector.otlpUrl() + "/v1/logs").setCompression("gzip").build();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
         SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build()) {
      Span span = tracing.get("compat").spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET")
          .setAttribute("url.path", "/orders/42")
          .setAttribute("http.route", "/orders/{id}")
          .setAttribute("http.response.status_code", 503L)
          .startSpan();
      try (Scope ignored = span.makeCurrent()) {
        logging.get("compat").logRecordBuilder().setSeverity(Severity.WARN)
            .setBody("inventory backend unreachable zanzibar").emit();
      } finally {
        span.end();
      }
      assertThat(flushed(tracing.forceFlush())).isTrue();
      assertThat(flushed(logging.forceFlush())).isTrue();

      JsonNode request = collector.api().awaitRequest("service=" + service,
          r -> r.get("path").asText().equals("/orders/42"), ARRIVAL);
      assertThat(request.get("method").asText()).isEqualTo("GET");
      assertThat(request.get("route").asText()).isEqualTo("/orders/{id}");
      assertThat(request.get("status").asInt()).isEqualTo(503);
      assertThat(request.get("traceId").asText()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(collector.api().requests("service=" + service + "&status=5xx")).hasSize(1);

      JsonNode log = awaitLog("service=" + service + "&q=zanzibar");
      assertThat(log.get("level").asText()).isEqualTo("WARN");
      assertThat(log.get("traceId").asText()).isEqualTo(span.getSpanContext().getTraceId());
    }
  }

  @Test
  void theOpenTelemetryJavaAgentPointedAtLookoutIsStored() {
    assertThat(OTEL_AGENT).as("downloaded by the build (maven-dependency-plugin)").exists();
    String service = "otel-agent-" + UUID.randomUUID().toString().substring(0, 8);
    try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(), null,
        "-javaagent:" + OTEL_AGENT,
        "-Dotel.service.name=" + service,
        "-Dotel.exporter.otlp.endpoint=" + collector.otlpUrl(),
        "-Dotel.exporter.otlp.protocol=http/protobuf",
        "-Dotel.bsp.schedule.delay=200",
        "-Dotel.metric.export.interval=2000")) {
      assertThat(app.get("/hello").statusCode()).isEqualTo(200);
      assertThat(app.get("/status/404").statusCode()).isEqualTo(404);

      String q = "service=" + service;
      JsonNode hello = collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/hello"), ARRIVAL);
      assertThat(hello.get("method").asText()).isEqualTo("GET");
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      assertThat(hello.get("durationMs").asDouble()).isPositive();
      assertThat(collector.api().awaitRequest(q, r -> r.get("path").asText().equals("/status/404"), ARRIVAL)
          .get("status").asInt()).isEqualTo(404);
      // Its metrics are accepted (2xx) rather than refused: nothing in the agent's log complains.
      sleepQuietly(3_000);
      assertThat(app.output()).doesNotContain("Failed to export metrics").doesNotContain("Failed to export spans");
    }
  }

  private static boolean flushed(CompletableResultCode result) {
    return result.join(10, TimeUnit.SECONDS).isSuccess();
  }

  private static JsonNode awaitLog(String query) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    while (System.nanoTime() < deadline) {
      LookoutApi.Answer a = collector.api().get("/api/logs?" + query);
      if (a.status() == 200 && a.body().get("items").size() > 0) {
        return a.body().get("items").get(0);
      }
      sleepQuietly(200);
    }
    throw new AssertionError("no log for " + query + " within " + ARRIVAL);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
