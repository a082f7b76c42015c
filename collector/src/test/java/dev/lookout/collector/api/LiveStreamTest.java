package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.lookout.collector.support.InProcessCollector;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/live}: the events of a commit arrive each as one server-sent event ({@code event:},
 * one {@code data:} line of JSON, a blank line), however many are written before a flush, and only
 * those the filter accepts.
 */
class LiveStreamTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  @Timeout(60)
  void manyEventsOfOneCommitArriveEachWhole() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      HttpResponse<InputStream> live = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + c.collector.apiPort() + "/api/live?kinds=request&status=5xx")).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(live.statusCode()).isEqualTo(200);
      BufferedReader lines = new BufferedReader(new InputStreamReader(live.body(), StandardCharsets.UTF_8));
      assertThat(lines.readLine()).isEqualTo(": connected");

      Random random = new Random(17);
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      Set<String> expected = new HashSet<>();
      long start = (System.currentTimeMillis() - 60_000) * 1_000_000L;
      for (int i = 0; i < 300; i++) {
        byte[] traceId = new byte[16];
        random.nextBytes(traceId);
        traceId[0] |= 1;
        byte[] spanId = new byte[8];
        random.nextBytes(spanId);
        spanId[0] |= 1;
        int status = i % 3 == 0 ? 200 : 500 + i % 4;
        if (status >= 500) {
          expected.add(HexFormat.of().formatHex(traceId));
        }
        scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId))
            .setName("GET").setKind(Span.SpanKind.SPAN_KIND_SERVER).setStartTimeUnixNano(start + i)
            .setEndTimeUnixNano(start + i + 1_000_000)
            .addAttributes(text("http.request.method", "GET"))
            .addAttributes(text("url.path", "/caf\u00e9/" + i + "/\u2603"))
            .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                .setValue(AnyValue.newBuilder().setIntValue(status))));
      }
      byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(text("service.name", "live-svc")))
          .addScopeSpans(scope)).build().toByteArray();
      assertThat(c.post("/v1/traces", body, "application/x-protobuf").statusCode()).isEqualTo(200);

      List<String> seen = new ArrayList<>();
      while (seen.size() < expected.size()) {
        String event = lines.readLine();
        if (event.isEmpty() || event.startsWith(":")) { // a comment (keepalive), or what ends one
          continue;
        }
        assertThat(event).isEqualTo("event: request");
        String data = lines.readLine();
        assertThat(data).startsWith("data: ");
        assertThat(lines.readLine()).isEmpty();
        JsonNode request = JSON.readTree(data.substring("data: ".length()));
        assertThat(request.get("status").asInt()).isGreaterThanOrEqualTo(500);
        assertThat(request.get("path").asText()).startsWith("/caf\u00e9/").endsWith("/\u2603");
        assertThat(request.get("service").asText()).isEqualTo("live-svc");
        seen.add(request.get("traceId").asText());
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
