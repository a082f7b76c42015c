package dev.lookout.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.lookout.collector.Collector;
import dev.lookout.collector.support.InProcessCollector;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP ingest against a collector started in this JVM, spoken to over real HTTP. */
class OtlpIngestTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;
  private Collector collector;

  @BeforeEach
  void start() {
    collector = new InProcessCollector(dataDir, "--max-body", "64kb").collector;
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  @Test
  void protobufSpansAreStoredBeforeTheAnswer() throws Exception {
    byte[] traceId = randomBytes(16);
    HttpResponse<byte[]> r = post(request("svc-proto", traceId, "GET", "/orders/42", 200).toByteArray(),
        "application/x-protobuf", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("protobuf"));
    // No polling: a 2xx means it is committed and therefore queryable.
    JsonNode items = apiGet("/api/requests?service=svc-proto").get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("traceId").asText()).isEqualTo(HexFormat.of().formatHex(traceId));
    assertThat(items.get(0).get("path").asText()).isEqualTo("/orders/42");
    assertThat(items.get(0).get("durationMs").asDouble()).isEqualTo(12.5);
  }

  @Test
  void jsonWithHexIdsAndGzipAreAccepted() throws Exception {
    String traceId = "5b8efff798038103d269b633813fc60c";
    // A recent start: an old one would be removed by the 7-day default retention, racing the query.
    long startMillis = System.currentTimeMillis() / 1000 * 1000 - 60_000;
    long startNanos = startMillis * 1_000_000L;
    String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc-json\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + traceId + "\",\"spanId\":\"eee19b7ec3c1b174\","
        + "\"name\":\"GET\",\"kind\":2,\"startTimeUnixNano\":\"" + startNanos + "\",\"endTimeUnixNano\":\"" + (startNanos + 250_000_000L) + "\","
        + "\"attributes\":[{\"key\":\"http.method\",\"value\":{\"stringValue\":\"GET\"}},"
        + "{\"key\":\"http.target\",\"value\":{\"stringValue\":\"/legacy?page=2\"}},"
        + "{\"key\":\"http.status_code\",\"value\":{\"intValue\":\"302\"}}]}]}]}]}";
    HttpResponse<byte[]> r = post(gzip(json.getBytes(StandardCharsets.UTF_8)), "application/json", "gzip");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    JsonNode item = apiGet("/api/requests?service=svc-json").get("items").get(0);
    assertThat(item.get("traceId").asText()).isEqualTo(traceId);
    assertThat(item.get("path").asText()).isEqualTo("/legacy");
    assertThat(item.get("query").asText()).isEqualTo("page=2");
    assertThat(item.get("status").asInt()).isEqualTo(302);
    assertThat(item.get("startTime").asLong()).isEqualTo(startMillis);
    assertThat(item.get("durationMs").asDouble()).isEqualTo(250.0);
  }

  @Test
  void badInputGetsAClearStatusAndLosesNothing() throws Exception {
    post(request("svc-keep", randomBytes(16), "GET", "/kept", 200).toByteArray(), "application/x-protobuf", null);

    HttpResponse<byte[]> garbage = post(new byte[] {(byte) 0xff, 0x01, 0x02, 0x03}, "application/x-protobuf", null);
    assertThat(garbage.statusCode()).isEqualTo(400);
    RpcStatus status = RpcStatus.parse(garbage.body());
    assertThat(status.code()).isEqualTo(3);
    assertThat(status.message()).contains("malformed");

    HttpResponse<byte[]> badJson = post("{\"resourceSpans\": [".getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(badJson.body()).get("message").asText()).contains("malformed JSON");

    HttpResponse<byte[]> badHex = post("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}"
        .getBytes(StandardCharsets.UTF_8), "application/json", null);
    assertThat(badHex.statusCode()).isEqualTo(400);

    assertThat(post("x".getBytes(StandardCharsets.UTF_8), "text/plain", null).statusCode()).isEqualTo(415);
    assertThat(post("x".getBytes(StandardCharsets.UTF_8), "application/json", "br").statusCode()).isEqualTo(415);

    // Over the 64 KiB limit: plainly, and as a small gzip bomb that only inflates past it. The plain one
    // again and again on the client's kept-alive connections: a server that answers before reading the
    // body and then closes resets the connection, and the client then sometimes loses the answer.
    for (int i = 0; i < 30; i++) {
      assertThat(post("x".getBytes(StandardCharsets.UTF_8), "application/json", "br").statusCode()).isEqualTo(415);
      assertThat(post(new byte[200 * 1024], "application/x-protobuf", null).statusCode()).isEqualTo(413);
    }
    assertThat(post(gzip(new byte[1024 * 1024]), "application/x-protobuf", "gzip").statusCode()).isEqualTo(413);

    assertThat(apiGet("/api/requests?service=svc-keep").get("items")).hasSize(1);
  }

  @Test
  void nonHttpAndClientSpansAreNotRequests() throws Exception {
    ExportTraceServiceRequest.Builder b = request("svc-kinds", randomBytes(16), "GET", "/served", 200).toBuilder();
    Span client = b.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setSpanId(ByteString.copyFrom(randomBytes(8))).build();
    Span internal = client.toBuilder().setKind(Span.SpanKind.SPAN_KIND_INTERNAL).clearAttributes()
        .setSpanId(ByteString.copyFrom(randomBytes(8))).build();
    b.getResourceSpansBuilder(0).getScopeSpansBuilder(0).addSpans(client).addSpans(internal);
    assertThat(post(b.build().toByteArray(), "application/x-protobuf", null).statusCode()).isEqualTo(200);
    assertThat(apiGet("/api/requests?service=svc-kinds").get("items")).hasSize(1);
  }

  static ExportTraceServiceRequest request(String service, byte[] traceId, String method, String path, int status) {
    // A minute ago: far older spans would meet the 7-day default retention while the test reads.
    long start = (System.currentTimeMillis() - 60_000) * 1_000_000L;
    Span span = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(randomBytes(8)))
        .setName(method)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + 12_500_000)
        .addAttributes(kv("http.request.method", AnyValue.newBuilder().setStringValue(method).build()))
        .addAttributes(kv("url.path", AnyValue.newBuilder().setStringValue(path).build()))
        .addAttributes(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(status).build()))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue(service).build())))
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zero: an invalid id
    return b;
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private HttpResponse<byte[]> post(byte[] body, String contentType, String encoding) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpPort() + "/v1/traces"))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private JsonNode apiGet(String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.apiPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** google.rpc.Status read by hand: the collector must answer failures with one. */
  record RpcStatus(int code, String message) {
    static RpcStatus parse(byte[] bytes) throws Exception {
      com.google.protobuf.CodedInputStream in = com.google.protobuf.CodedInputStream.newInstance(bytes);
      int code = 0;
      String message = "";
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag == (1 << 3)) {
          code = in.readInt32();
        } else if (tag == ((2 << 3) | 2)) {
          message = in.readString();
        } else {
          in.skipField(tag);
        }
      }
      return new RpcStatus(code, message);
    }
  }
}
