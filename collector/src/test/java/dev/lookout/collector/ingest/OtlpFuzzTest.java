package dev.lookout.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Mutator;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged OTLP, in both encodings, for all three signals, plain and gzip: every answer is a 2xx
 * or a 4xx carrying a readable google.rpc.Status, within a bounded time, and what was stored
 * before is all still there afterwards.
 */
@ParameterizedClass
@EnumSource(Store.class)
class OtlpFuzzTest {
  @Parameter
  Store store;


  private static final int CASES = 1500;
  private static final Duration PER_CALL = Duration.ofSeconds(10);
  private static final Set<Integer> ALLOWED = Set.of(200, 400, 413, 415);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SIGNALS = {"/v1/traces", "/v1/logs", "/v1/metrics"};
  private static final String[] ENCODINGS = {null, null, "gzip", "identity", "x-gzip", "br", " GZIP "};

  @TempDir
  Path dataDir;

  @Test
  void malformedOtlpGetsA4xxStatusNeverA500AndLosesNothingStored() throws Exception {
    long seed = Mutator.seed();
    Mutator fuzz = new Mutator(seed);
    try (InProcessCollector c = new InProcessCollector(dataDir, InProcessCollector.args(store.freshArgs(), "--max-body", "256kb"))) {
      storeKeptData(c);
      Map<String, Integer> outcomes = new TreeMap<>();
      long slowestNanos = 0;
      for (int i = 0; i < CASES; i++) {
        String signal = fuzz.pick(SIGNALS);
        boolean json = fuzz.nextInt(2) == 0;
        byte[] valid = json ? validJson(signal) : validProtobuf(signal);
        String encoding = fuzz.pick(ENCODINGS);
        byte[] body;
        switch (fuzz.nextInt(6)) {
          case 0 -> body = fuzz.randomBytes(fuzz.nextInt(2048));
          case 1 -> body = Mutator.gzip(fuzz.mutate(valid)); // well-formed gzip of a damaged message
          case 2 -> body = fuzz.mutate(Mutator.gzip(valid)); // a damaged gzip stream
          default -> body = fuzz.mutate(valid);
        }
        if (encoding != null && encoding.trim().equalsIgnoreCase("gzip") && fuzz.nextInt(2) == 0) {
          body = Mutator.gzip(body);
        }
        String contentType = json ? "application/json" : "application/x-protobuf";
        long started = System.nanoTime();
        HttpResponse<byte[]> r = post(c, signal, body, contentType, encoding);
        slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
        String what = "seed " + seed + ", case " + i + ": " + signal + " " + contentType + " encoding " + encoding;
        assertThat(r.statusCode()).as(what).isIn(ALLOWED);
        if (r.statusCode() != 200) {
          assertThat(statusMessage(r, json)).as(what + " carries a readable Status message").isNotBlank();
        }
        outcomes.merge(signal + " " + r.statusCode(), 1, Integer::sum);
      }
      // A gzip bomb: 20 MB of zeros in a few KB is refused at the limit, not inflated into memory.
      HttpResponse<byte[]> bomb = post(c, "/v1/traces", Mutator.gzip(new byte[20 << 20]), "application/x-protobuf",
          "gzip");
      assertThat(bomb.statusCode()).isEqualTo(413);

      assertKeptDataIntact(c);
      System.out.printf("OTLP fuzz: seed %d, %d cases, outcomes %s, slowest answer %d ms%n", seed, CASES, outcomes,
          slowestNanos / 1_000_000);
    }
  }

  static final int KEPT_SPANS = 30;
  static final int KEPT_LOGS = 20;

  /** Rows that must survive everything the fuzzer sends afterwards. */
  static void storeKeptData(InProcessCollector c) throws Exception {
    List<Span> spans = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < KEPT_SPANS; i++) {
      spans.add(Otlp.serverSpan(now - i, 2, "GET", "/kept/" + i, 200));
    }
    for (int i = 0; i < KEPT_LOGS; i++) {
      logs.add(Otlp.log(now - i, "kept log " + i));
    }
    assertThat(c.post("/v1/traces", Otlp.traces("kept", spans).toByteArray(), "application/x-protobuf").statusCode())
        .isEqualTo(200);
    assertThat(c.post("/v1/logs", Otlp.logs("kept", logs).toByteArray(), "application/x-protobuf").statusCode())
        .isEqualTo(200);
  }

  static void assertKeptDataIntact(InProcessCollector c) throws Exception {
    JsonNode requests = c.get("/api/requests?service=kept&limit=1000").get("items");
    assertThat(requests).hasSize(KEPT_SPANS);
    JsonNode logs = c.get("/api/logs?service=kept&limit=1000").get("items");
    assertThat(logs).hasSize(KEPT_LOGS);
  }

  private static byte[] validProtobuf(String signal) {
    long now = System.currentTimeMillis();
    return switch (signal) {
      case "/v1/traces" -> Otlp.traces("fuzz", List.of(Otlp.serverSpan(now, 3, "POST", "/orders/1", 500),
          Otlp.serverSpan(now, 1, "GET", "/a?b=c", 200))).toByteArray();
      case "/v1/logs" -> Otlp.logs("fuzz", List.of(Otlp.log(now, "hello"), Otlp.log(now, "world"))).toByteArray();
      default -> ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(Otlp.kv("service.name", "fuzz"))
              .addAttributes(Otlp.kv("service.instance.id", "i-1")))
          .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("processedSpans")
              .setSum(Sum.newBuilder().setIsMonotonic(true).addDataPoints(NumberDataPoint.newBuilder().setAsInt(3)
                  .addAttributes(KeyValue.newBuilder().setKey("dropped")
                      .setValue(AnyValue.newBuilder().setBoolValue(true)))))))).build().toByteArray();
    };
  }

  private static byte[] validJson(String signal) {
    long ns = System.currentTimeMillis() * 1_000_000L;
    String resource = "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"fuzz\"}}]}";
    String json = switch (signal) {
      case "/v1/traces" -> "{\"resourceSpans\":[{\"resource\":" + resource + ",\"scopeSpans\":[{\"spans\":[{"
          + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET\","
          + "\"kind\":2,\"startTimeUnixNano\":\"" + ns + "\",\"endTimeUnixNano\":\"" + (ns + 1_000_000) + "\","
          + "\"status\":{\"code\":2,\"message\":\"x\"},\"events\":[{\"name\":\"exception\",\"attributes\":["
          + "{\"key\":\"exception.type\",\"value\":{\"stringValue\":\"java.lang.X\"}}]}],"
          + "\"attributes\":[{\"key\":\"url.path\",\"value\":{\"stringValue\":\"/j\"}},{\"key\":"
          + "\"http.response.status_code\",\"value\":{\"intValue\":\"500\"}}]}]}]}]}";
      case "/v1/logs" -> "{\"resourceLogs\":[{\"resource\":" + resource + ",\"scopeLogs\":[{\"logRecords\":[{"
          + "\"timeUnixNano\":\"" + ns + "\",\"severityNumber\":13,\"severityText\":\"WARN\",\"body\":"
          + "{\"stringValue\":\"careful\"},\"traceId\":\"5b8efff798038103d269b633813fc60c\","
          + "\"attributes\":[{\"key\":\"thread.name\",\"value\":{\"stringValue\":\"main\"}}]}]}]}]}";
      default -> "{\"resourceMetrics\":[{\"resource\":" + resource + ",\"scopeMetrics\":[{\"metrics\":[{"
          + "\"name\":\"lookout.agent.export.failed\",\"sum\":{\"isMonotonic\":true,\"dataPoints\":[{\"asInt\":\"2\","
          + "\"attributes\":[{\"key\":\"signal\",\"value\":{\"stringValue\":\"traces\"}}]}]}}]}]}]}";
    };
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> post(InProcessCollector c, String path, byte[] body, String contentType,
      String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.collector.otlpPort() + path))
        .timeout(PER_CALL).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The message of the google.rpc.Status in the answer, in the encoding the answer declares. */
  private static String statusMessage(HttpResponse<byte[]> r, boolean json) throws Exception {
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (type.contains("json")) {
      JsonNode n = JSON.readTree(r.body());
      return n.path("message").asText("");
    }
    assertThat(type).contains("protobuf");
    CodedInputStream in = CodedInputStream.newInstance(r.body());
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 2) {
        return in.readString();
      }
      in.skipField(tag);
    }
    return "";
  }
}
