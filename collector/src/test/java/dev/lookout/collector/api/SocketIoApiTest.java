package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain socket traffic arrives as span attributes and is stored summed per service, path and
 * second; {@code GET /api/io} adds it up as before, and a request's detail still shows its own.
 */
class SocketIoApiTest {

  @TempDir
  Path dataDir;

  @Test
  void summedSocketRowsCountTheirRequestsAndEachDetailKeepsItsOwnFigures() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      long second = (System.currentTimeMillis() / 1000 - 5) * 1000;
      Span first = withSocket(Otlp.serverSpan(second + 10, 2, "GET", "/plain", 200), 3, 100, 200, 7_000);
      Span second2 = withSocket(Otlp.serverSpan(second + 20, 2, "GET", "/plain", 200), 2, 40, 60, 3_000);
      assertThat(c.post("/v1/traces", Otlp.traces("svc-sockets", List.of(first, second2)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);

      JsonNode items = c.get("/api/io?service=svc-sockets").get("items");
      assertThat(items).singleElement().satisfies(i -> {
        assertThat(i.get("kind").asText()).isEqualTo("socket");
        assertThat(i.get("path").asText()).isEqualTo("/plain");
        assertThat(i.get("units").asLong()).isEqualTo(2);
        assertThat(i.get("calls").asLong()).isEqualTo(5);
        assertThat(i.get("bytes").asLong()).isEqualTo(400);
        assertThat(i.get("verdict").asText()).isEqualTo("none");
      });
      assertThat(items.get(0).get("sampleTraceId").isNull()).as("summed at ingest: the row names no one request")
          .isTrue();
      assertThat(c.get("/api/stats").get("rows").get("io").asLong()).as("one row for both requests").isEqualTo(1);

      String traceId = HexFormat.of().formatHex(first.getTraceId().toByteArray());
      JsonNode io = c.get("/api/requests/" + traceId).get("io");
      assertThat(io).singleElement().satisfies(i -> {
        assertThat(i.get("kind").asText()).isEqualTo("socket");
        assertThat(i.get("calls").asLong()).isEqualTo(3);
        assertThat(i.get("bytes").asLong()).isEqualTo(300);
        assertThat(i.get("durationMs").asDouble()).isEqualTo(0.007);
        assertThat(i.get("traceId").asText()).isEqualTo(traceId);
        assertThat(i.get("path").asText()).isEqualTo("/plain");
      });
    }
  }

  @Test
  void aFileRowOfARequestNamesItAsItsExample() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      long now = System.currentTimeMillis() - 5_000;
      Span request = Otlp.serverSpan(now, 2, "GET", "/files/zero-copy", 200).toBuilder()
          .addEvents(Span.Event.newBuilder().setName("lookout.io").setTimeUnixNano(now * 1_000_000 + 1)
              .addAttributes(Otlp.kv("kind", "transferTo")).addAttributes(number("calls", 2))
              .addAttributes(number("bytes", 4096)).addAttributes(number("zero_copy_bytes", 4096))
              .addAttributes(Otlp.kv("mechanism", "sendfile")).addAttributes(Otlp.kv("verdict", "zero-copy"))
              .addAttributes(Otlp.kv("reason", "moved by the kernel (sendfile)")))
          .build();
      assertThat(c.post("/v1/traces", Otlp.traces("svc-file", List.of(request)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      JsonNode items = c.get("/api/io?service=svc-file").get("items");
      assertThat(items).singleElement().satisfies(i -> {
        assertThat(i.get("verdict").asText()).isEqualTo("zero-copy");
        assertThat(i.get("sampleTraceId").asText()).isEqualTo(HexFormat.of().formatHex(request.getTraceId().toByteArray()));
      });
    }
  }

  @Test
  void ioOutsideRequestsNamesNoExampleRequest() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      long now = System.currentTimeMillis() - 5_000;
      Span outside = withSocket(Otlp.serverSpan(now, 2, "GET", "/x", 200).toBuilder().setName("lookout.io")
          .setKind(Span.SpanKind.SPAN_KIND_INTERNAL).clearAttributes().build(), 4, 10, 20, 1_000);
      assertThat(c.post("/v1/traces", Otlp.traces("svc-outside", List.of(outside)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      JsonNode items = c.get("/api/io?service=svc-outside").get("items");
      assertThat(items).singleElement().satisfies(i -> {
        assertThat(i.get("path").asText()).isEqualTo("-");
        assertThat(i.get("bytes").asLong()).isEqualTo(30);
        assertThat(i.get("sampleTraceId").isNull()).as("no request to show: " + i).isTrue();
      });
    }
  }

  private static Span withSocket(Span span, long calls, long in, long out, long nanos) {
    return span.toBuilder().addAttributes(number("lookout.io.socket.calls", calls))
        .addAttributes(number("lookout.io.socket.bytes_in", in)).addAttributes(number("lookout.io.socket.bytes_out", out))
        .addAttributes(number("lookout.io.socket.nanos", nanos)).build();
  }

  private static KeyValue number(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }
}
