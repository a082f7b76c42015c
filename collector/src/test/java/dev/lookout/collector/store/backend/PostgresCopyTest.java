package dev.lookout.collector.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import dev.lookout.collector.support.TestPostgres;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows written to PostgreSQL with COPY come back exactly as sent, whatever characters COPY's text format escapes. */
class PostgresCopyTest {

  private static final String AWKWARD = "tab\there, new\nline, cr\rand a back\\slash \\N \u00e9\u6f22";

  @TempDir
  Path dataDir;

  @Test
  void textThatCopyEscapesRoundTrips() throws Exception {
    long now = System.currentTimeMillis() - 5_000;
    Span span = Otlp.serverSpan(now, 2.5, "GET", "/p/" + AWKWARD, 200).toBuilder()
        .addAttributes(Otlp.kv("url.query", AWKWARD))
        .addAttributes(Otlp.kv("user_agent.original", AWKWARD))
        .addAttributes(Otlp.kv("custom", AWKWARD)).build();
    try (InProcessCollector c = new InProcessCollector(dataDir, "--db", TestPostgres.freshDatabase())) {
      assertThat(c.post("/v1/traces", Otlp.traces("svc", List.of(span)).toByteArray(), "application/x-protobuf")
          .statusCode()).isEqualTo(200);
      assertThat(c.post("/v1/logs", Otlp.logs("svc", List.of(Otlp.log(now, AWKWARD), Otlp.log(now + 1, "plain")))
          .toByteArray(), "application/x-protobuf").statusCode()).isEqualTo(200);
      JsonNode request = c.get("/api/requests/" + HexFormat.of().formatHex(span.getTraceId().toByteArray()))
          .get("request");
      assertThat(request.get("path").asText()).isEqualTo("/p/" + AWKWARD);
      assertThat(request.get("query").asText()).isEqualTo(AWKWARD);
      assertThat(request.get("durationMs").asDouble()).isEqualTo(2.5);
      assertThat(request.get("attributes").get("user_agent.original").asText()).isEqualTo(AWKWARD);
      assertThat(request.get("attributes").get("custom").asText()).isEqualTo(AWKWARD);
      JsonNode logs = c.get("/api/logs?q=" + URLEncoder.encode("slash", StandardCharsets.UTF_8)).get("items");
      assertThat(logs).singleElement().satisfies(l -> assertThat(l.get("message").asText()).isEqualTo(AWKWARD));
      assertThat(c.get("/api/logs?limit=10").get("items")).hasSize(2);
    }
  }

  @Test
  void aStatementItCannotCopyIsRefusedAtOnce() throws Exception {
    try (Connection c = TestPostgres.connect(TestPostgres.freshDatabase())) {
      assertThatThrownBy(() -> PostgresCopy.prepare(c, "INSERT INTO t (a, b) VALUES (?, now())"))
          .isInstanceOf(IllegalArgumentException.class);
      var s = PostgresCopy.prepare(c, "INSERT INTO t (a, b) VALUES (?,?)");
      s.setString(1, "only one");
      assertThatThrownBy(s::addBatch).hasMessageContaining("parameter 2 not set");
      assertThatThrownBy(() -> s.setTimestamp(1, null)).hasMessageContaining("cannot setTimestamp");
    }
  }
}
