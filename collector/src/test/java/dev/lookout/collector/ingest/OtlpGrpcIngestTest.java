package dev.lookout.collector.ingest;

import dev.lookout.collector.startup.StartupException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.lookout.collector.support.InProcessCollector;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/gRPC ingest against a collector started in this JVM on a real port, fed by the OpenTelemetry
 * Java SDK's own gRPC exporters (gzip on) and read back through the JSON API.
 */
class OtlpGrpcIngestTest {

  private static final String TOKEN = "grpc-test-token";

  @TempDir
  Path dataDir;
  private InProcessCollector collector;
  private String endpoint;

  @BeforeEach
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    collector = new InProcessCollector(dataDir, "--otlp-grpc-port", String.valueOf(port), "--max-body", "64kb",
        "--ingest-token", TOKEN);
    assertThat(collector.collector.otlpGrpcPort()).isEqualTo(port);
    endpoint = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  @Test
  void sdkSpansLogsAndMetricsOverGrpcWithGzipAreStored() throws Exception {
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), "svc-grpc", AttributeKey.stringKey("service.instance.id"), "i-1")));

    OtlpGrpcSpanExporter spans = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setCompression("gzip")
        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(Duration.ofSeconds(20)).build();
    String traceId;
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
      Span span = tracing.get("test").spanBuilder("GET /orders/{id}").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "GET").setAttribute("url.path", "/orders/42")
          .setAttribute("http.route", "/orders/{id}").setAttribute("http.response.status_code", 200L)
          .startSpan();
      traceId = span.getSpanContext().getTraceId();
      span.end();
      assertThat(tracing.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    OtlpGrpcLogRecordExporter logs = OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint).setCompression("gzip")
        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(Duration.ofSeconds(20)).build();
    try (SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build()) {
      logging.get("com.example.Orders").logRecordBuilder().setSeverity(Severity.WARN).setBody("order 42 is late")
          .setAttribute(AttributeKey.stringKey("thread.name"), "worker-1").emit();
      assertThat(logging.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    OtlpGrpcMetricExporter metrics = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint).setCompression("gzip")
        .addHeader("Authorization", "Bearer " + TOKEN).setTimeout(Duration.ofSeconds(20)).build();
    try (SdkMeterProvider metering = SdkMeterProvider.builder().setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(metrics).setInterval(Duration.ofHours(1)).build()).build()) {
      metering.get("lookout").counterBuilder("lookout.agent.buffer.dropped").build().add(7);
      assertThat(metering.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    // Acknowledged means committed: no polling.
    JsonNode requests = collector.get("/api/requests?service=svc-grpc").get("items");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).get("traceId").asText()).isEqualTo(traceId);
    assertThat(requests.get(0).get("path").asText()).isEqualTo("/orders/42");
    assertThat(requests.get(0).get("status").asInt()).isEqualTo(200);

    JsonNode logItems = collector.get("/api/logs?service=svc-grpc").get("items");
    assertThat(logItems).hasSize(1);
    assertThat(logItems.get(0).get("message").asText()).isEqualTo("order 42 is late");
    assertThat(logItems.get(0).get("level").asText()).isEqualTo("WARN");
    assertThat(logItems.get(0).get("logger").asText()).isEqualTo("com.example.Orders");

    assertThat(collector.get("/api/stats").get("agentDrops").asLong()).isEqualTo(7);
  }

  @Test
  void aMissingOrWrongTokenIsUnauthenticatedAndStoresNothing() throws Exception {
    byte[] export = OtlpIngestTest.request("svc-no-token", OtlpIngestTest.randomBytes(16), "GET", "/x", 200)
        .toByteArray();
    assertThat(call(OtlpGrpcServer.TRACES, export, null, false).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(call(OtlpGrpcServer.TRACES, export, "Bearer wrong", false).getStatus().getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    // And through the SDK: its export fails.
    OtlpGrpcSpanExporter spans = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).setCompression("gzip")
        .setTimeout(Duration.ofSeconds(20)).build();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "svc-no-token")))
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()) {
      tracing.get("test").spanBuilder("GET").setSpanKind(SpanKind.SERVER).setAttribute("http.request.method", "GET")
          .setAttribute("url.path", "/y").startSpan().end();
      CompletableResultCode flushed = tracing.forceFlush().join(20, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).isFalse();
    }
    assertThat(collector.get("/api/requests?service=svc-no-token").get("items")).isEmpty();
  }

  @Test
  void malformedIsInvalidArgumentAndOversizedIsResourceExhausted() throws Exception {
    byte[] kept = OtlpIngestTest.request("svc-keep", OtlpIngestTest.randomBytes(16), "GET", "/kept", 200).toByteArray();
    assertThat(call(OtlpGrpcServer.TRACES, kept, "Bearer " + TOKEN, false)).isNull();

    byte[] garbage = {(byte) 0xff, 0x01, 0x02, 0x03};
    for (String service : new String[] {OtlpGrpcServer.TRACES, OtlpGrpcServer.LOGS, OtlpGrpcServer.METRICS}) {
      StatusRuntimeException e = call(service, garbage, "Bearer " + TOKEN, false);
      assertThat(e).as(service).isNotNull();
      assertThat(e.getStatus().getCode()).as(service).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("malformed");
    }

    // Over the 64 KiB limit: plainly, and as gzip that only inflates past it.
    assertThat(call(OtlpGrpcServer.TRACES, new byte[200 * 1024], "Bearer " + TOKEN, false).getStatus().getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(call(OtlpGrpcServer.TRACES, new byte[1024 * 1024], "Bearer " + TOKEN, true).getStatus().getCode())
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    assertThat(collector.get("/api/requests?service=svc-keep").get("items")).hasSize(1);
  }

  @Test
  void spansWithBadIdsArePartialSuccessInTheResponse() throws Exception {
    ExportTraceServiceRequest.Builder b = OtlpIngestTest.request("svc-partial", OtlpIngestTest.randomBytes(16), "GET",
        "/good", 200).toBuilder();
    io.opentelemetry.proto.trace.v1.Span bad = b.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
        .setTraceId(ByteString.copyFrom(new byte[3])).build();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).addSpans(bad);
    Reply reply = exchange(OtlpGrpcServer.TRACES, b.build().toByteArray(), "Bearer " + TOKEN, true);
    assertThat(reply.failure()).isNull();
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(reply.response());
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("invalid trace or span id");
    assertThat(collector.get("/api/requests?service=svc-partial").get("items")).hasSize(1);
  }

  @Test
  void aStoreThatCannotTakeTheRowsIsUnavailableSoClientsRetry() throws Exception {
    collector.collector.writer().close();
    byte[] export = OtlpIngestTest.request("svc-later", OtlpIngestTest.randomBytes(16), "GET", "/x", 200).toByteArray();
    StatusRuntimeException e = call(OtlpGrpcServer.TRACES, export, "Bearer " + TOKEN, false);
    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("retry later");
  }

  @Test
  void aTakenGrpcPortStopsTheStartNamingTheOption(@TempDir Path otherDir) throws Exception {
    int taken = collector.collector.otlpGrpcPort();
    assertThatThrownBy(() -> new InProcessCollector(otherDir, "--otlp-grpc-port", String.valueOf(taken)))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("127.0.0.1:" + taken).hasMessageContaining("--otlp-grpc-port")
        .hasMessageContaining("in use");
  }

  /** One raw Export call; null when it succeeded, else the failure. */
  private StatusRuntimeException call(String service, byte[] message, String authorization, boolean gzip) {
    return exchange(service, message, authorization, gzip).failure();
  }

  /** An Export's answer: the response message's bytes, or the failure. */
  record Reply(byte[] response, StatusRuntimeException failure) {}

  private Reply exchange(String service, byte[] message, String authorization, boolean gzip) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(endpoint.substring("http://".length())).usePlaintext()
        .maxInboundMessageSize(4 * 1024 * 1024).build();
    try {
      MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
          .setRequestMarshaller(OtlpGrpcServer.Bytes.INSTANCE).setResponseMarshaller(OtlpGrpcServer.Bytes.INSTANCE)
          .build();
      Metadata headers = new Metadata();
      if (authorization != null) {
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
      }
      CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS);
      if (gzip) {
        options = options.withCompression("gzip");
      }
      ClientCall<byte[], byte[]> call = io.grpc.ClientInterceptors.intercept(channel,
          MetadataUtils.newAttachHeadersInterceptor(headers)).newCall(export, options);
      try {
        return new Reply(ClientCalls.blockingUnaryCall(call, message), null);
      } catch (StatusRuntimeException e) {
        return new Reply(null, e);
      }
    } finally {
      channel.shutdownNow();
    }
  }
}
