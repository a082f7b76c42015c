package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import dev.lookout.collector.support.Store;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /api/requests/{traceId}?spanId=}: a trace that passed through two services has two
 * server spans; the span id picks one, without it the earliest answers, and a bad or unknown span
 * id is a JSON error. On each store.
 */
@ParameterizedClass
@EnumSource(Store.class)
class RequestDetailApiTest {

  @Parameter
  Store store;

  @TempDir
  Path dataDir;

  @Test
  void theSpanIdPicksTheServerSpanOfTheTrace() throws Exception {
    long now = System.currentTimeMillis();
    Span front = Otlp.serverSpan(now - 100, 40, "GET", "/checkout", 200);
    Span back = Otlp.serverSpan(now - 90, 20, "POST", "/payments", 201).toBuilder()
        .setTraceId(front.getTraceId()).setParentSpanId(front.getSpanId()).build();
    String traceId = hex(front.getTraceId().toByteArray());
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      assertThat(c.post("/v1/traces", Otlp.traces("shop", List.of(back, front)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);

      assertThat(c.get("/api/requests/" + traceId).get("request").get("path").asText())
          .as("without a span id: the trace's earliest server span").isEqualTo("/checkout");
      JsonNode picked = c.get("/api/requests/" + traceId + "?spanId=" + hex(back.getSpanId().toByteArray()))
          .get("request");
      assertThat(picked.get("path").asText()).isEqualTo("/payments");
      assertThat(picked.get("spanId").asText()).isEqualTo(hex(back.getSpanId().toByteArray()));
      assertThat(c.get("/api/requests/" + traceId + "?spanId=" + hex(front.getSpanId().toByteArray()))
          .get("request").get("path").asText()).isEqualTo("/checkout");

      assertError(c.fetch("/api/requests/" + traceId + "?spanId=00f067aa0ba902b7"), 404, "span id 00f067aa0ba902b7");
      assertError(c.fetch("/api/requests/" + traceId + "?spanId=XYZ"), 400, "bad parameter 'spanId'");
      assertError(c.fetch("/api/requests/" + traceId + "?spanId=" + hex(front.getSpanId().toByteArray()).toUpperCase()),
          400, "bad parameter 'spanId'");
    }
  }

  /**
   * A trace id that carries its second (as the agent's do): without a span id the request that
   * started in that second answers, though a request of the trace whose clock ran behind started
   * earlier; a trace's only request outside that second is still found.
   */
  @Test
  void withoutASpanIdTheRequestInTheTraceIdsSecondAnswers() throws Exception {
    long second = System.currentTimeMillis() / 1000 - 120;
    byte[] id = Otlp.random(16);
    id[0] = (byte) (second >>> 24);
    id[1] = (byte) (second >>> 16);
    id[2] = (byte) (second >>> 8);
    id[3] = (byte) second;
    Span root = Otlp.serverSpan(second * 1000 + 300, 40, "GET", "/checkout", 200).toBuilder()
        .setTraceId(ByteString.copyFrom(id)).build();
    Span skewed = Otlp.serverSpan(second * 1000 - 2_000, 20, "POST", "/payments", 201).toBuilder()
        .setTraceId(ByteString.copyFrom(id)).setParentSpanId(root.getSpanId()).build();
    byte[] lateId = id.clone();
    lateId[15] ^= 1;
    Span late = Otlp.serverSpan(second * 1000 + 3_000, 20, "GET", "/late", 200).toBuilder()
        .setTraceId(ByteString.copyFrom(lateId)).build();
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      assertThat(c.post("/v1/traces", Otlp.traces("shop", List.of(skewed, root, late)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      assertThat(c.get("/api/requests/" + hex(id)).get("request").get("path").asText()).isEqualTo("/checkout");
      assertThat(c.get("/api/requests/" + hex(id) + "?spanId=" + hex(skewed.getSpanId().toByteArray()))
          .get("request").get("path").asText()).isEqualTo("/payments");
      assertThat(c.get("/api/requests/" + hex(lateId)).get("request").get("path").asText()).isEqualTo("/late");
    }
  }

  private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(new ObjectMapper().readTree(r.body()).get("error").asText()).contains(message);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
