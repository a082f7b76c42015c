package dev.lookout.collector.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.collector.store.RequestDetails;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attributes every agent span carries are stored in columns of their own, not in the row's
 * attribute JSON; a request's detail still shows exactly the attributes that were sent (with their
 * types), and its list item the I/O figures, whether the span was read straight off the wire or
 * (having events) as a message.
 */
class RequestAttributesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dataDir;

  @Test
  void liftedAttributesLeaveTheJsonAndComeBackInTheDetail() throws Exception {
    long now = System.currentTimeMillis() - 5_000;
    Span plain = agentSpan(Otlp.serverSpan(now, 3, "GET", "/files/7", 200).toBuilder()).build();
    // events make the collector parse the span as a message (AnyValue attributes)
    Span withEvent = agentSpan(Otlp.serverSpan(now + 1, 3, "GET", "/files/8", 200).toBuilder())
        .addEvents(Span.Event.newBuilder().setName("note").setTimeUnixNano(now * 1_000_000)).build();
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("url.scheme", "http");
    expected.put("server.address", "files.internal");
    expected.put("server.port", 9090); // the last of two: the first was text
    expected.put("client.address", "10.1.2.3");
    expected.put("user_agent.original", "curl/8");
    expected.put("http.route", "/files/{id}");
    expected.put("lookout.log_count", 2);
    expected.put("lookout.io.zero_copy_bytes", 4096);
    expected.put("lookout.io.copied_bytes", 512);
    expected.put("lookout.io.verdict", "fallback");
    expected.put("lookout.io.socket.bytes_in", 300);
    expected.put("lookout.io.socket.bytes_out", 5000);
    expected.put("lookout.io.socket.calls", 4);
    expected.put("lookout.io.socket.nanos", 12000);
    expected.put("http.request.header.accept", List.of("a/b", "c/d"));
    expected.put("lookout.sampled", true);
    expected.put("error.type", 42); // not text: stays in the JSON as sent
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      assertThat(c.post("/v1/traces", Otlp.traces("svc-attrs", List.of(plain, withEvent)).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      for (Span span : List.of(plain, withEvent)) {
        String traceId = HexFormat.of().formatHex(span.getTraceId().toByteArray());
        JsonNode request = c.get("/api/requests/" + traceId).get("request");
        Map<String, Object> want = new LinkedHashMap<>(expected);
        want.put("http.request.method", "GET");
        want.put("url.path", span == plain ? "/files/7" : "/files/8");
        want.put("http.response.status_code", 200);
        assertThat(JSON.convertValue(request.get("attributes"), Map.class)).isEqualTo(want);
        assertThat(request.get("headers").get("request").get("accept").toString()).isEqualTo("[\"a/b\",\"c/d\"]");
        assertThat(request.get("logCount").asInt()).isEqualTo(2);
        assertThat(request.get("io").toString())
            .isEqualTo("{\"zeroCopyBytes\":4096,\"copiedBytes\":512,\"verdict\":\"fallback\"}");
      }
      JsonNode items = c.get("/api/requests?service=svc-attrs").get("items");
      assertThat(items).hasSize(2).allSatisfy(i -> assertThat(i.get("io").get("verdict").asText()).isEqualTo("fallback"));
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
         Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT details FROM requests")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        // the attribute JSON and the lifted columns are packed into the details column (RequestDetails)
        RequestDetails.Unpacked d = RequestDetails.unpack(rs.getBytes(1));
        assertThat(JSON.readTree(d.attributesJson()).fieldNames()).toIterable()
            .as("only what has no column of its own").containsExactlyInAnyOrder("http.request.header.accept", "lookout.sampled",
                "error.type");
        assertThat(d.columns().socketOut()).isEqualTo(5000);
      }
      assertThat(rows).isEqualTo(2);
    }
  }

  @Test
  void aRowStoredBeforeTheColumnsKeepsItsAttributesAndIoFigures() throws Exception {
    long now = System.currentTimeMillis() - 5_000;
    String traceId = "cd".repeat(16);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
         Statement s = c.createStatement()) {
      for (int v = 0; v < 6; v++) {
        for (String sql : Migrations.STEPS.get(v)) {
          s.execute(sql);
        }
      }
      s.execute("PRAGMA user_version = 6");
      s.execute("INSERT INTO requests (trace_id, span_id, service, method, path, status, duration_ms, start_time,"
          + " attributes) VALUES ('" + traceId + "', '" + "12".repeat(8) + "', 'old', 'GET', '/old', 200, 1.5, " + now
          + ", '{\"http.request.method\":\"GET\",\"lookout.io.verdict\":\"zero-copy\",\"lookout.io.zero_copy_bytes\":"
          + "65536,\"lookout.io.socket.calls\":3,\"lookout.io.socket.bytes_in\":10,\"lookout.io.socket.bytes_out\":20}')");
    }
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      JsonNode detail = c.get("/api/requests/" + traceId);
      assertThat(detail.get("request").get("attributes").toString()).isEqualTo("{\"http.request.method\":\"GET\","
          + "\"lookout.io.verdict\":\"zero-copy\",\"lookout.io.zero_copy_bytes\":65536,\"lookout.io.socket.calls\":3,"
          + "\"lookout.io.socket.bytes_in\":10,\"lookout.io.socket.bytes_out\":20}");
      assertThat(detail.get("request").get("io").get("verdict").asText()).isEqualTo("zero-copy");
      assertThat(detail.get("io")).singleElement().satisfies(io -> assertThat(io.get("bytes").asLong()).isEqualTo(30));
    }
  }

  /** The attributes Lookout's agent sends on a server span, and a few an SDK might add. */
  private static Span.Builder agentSpan(Span.Builder span) {
    return span
        .addAttributes(Otlp.kv("url.scheme", "http"))
        .addAttributes(Otlp.kv("server.address", "files.internal"))
        .addAttributes(Otlp.kv("server.port", "not a number"))
        .addAttributes(number("server.port", 9090))
        .addAttributes(Otlp.kv("client.address", "10.1.2.3"))
        .addAttributes(Otlp.kv("user_agent.original", "curl/8"))
        .addAttributes(Otlp.kv("http.route", "/files/{id}"))
        .addAttributes(KeyValue.newBuilder().setKey("http.request.header.accept").setValue(AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a/b"))
                .addValues(AnyValue.newBuilder().setStringValue("c/d")))))
        .addAttributes(number("error.type", 42))
        .addAttributes(number("lookout.log_count", 2))
        .addAttributes(number("lookout.io.zero_copy_bytes", 4096))
        .addAttributes(number("lookout.io.copied_bytes", 512))
        .addAttributes(Otlp.kv("lookout.io.verdict", "fallback"))
        .addAttributes(number("lookout.io.socket.bytes_in", 300))
        .addAttributes(number("lookout.io.socket.bytes_out", 5000))
        .addAttributes(number("lookout.io.socket.calls", 4))
        .addAttributes(number("lookout.io.socket.nanos", 12000))
        .addAttributes(KeyValue.newBuilder().setKey("lookout.sampled").setValue(AnyValue.newBuilder().setBoolValue(true)));
  }

  private static KeyValue number(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }
}
