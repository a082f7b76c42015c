package dev.lookout.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import dev.lookout.collector.support.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A NUL in what an agent sends (PostgreSQL's text cannot hold one) is stored, not refused, and
 * found by the same text; a pattern PostgreSQL cannot read is a 400 naming the parameter.
 */
@ParameterizedClass
@EnumSource(Store.class)
class StorableTextTest {

  @Parameter
  Store store;
  @TempDir
  Path dataDir;

  @Test
  void aNulFromAnAgentIsStoredAsAReplacementCharacterAndFoundByTheSameText() throws Exception {
    long now = System.currentTimeMillis();
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      assertThat(c.post("/v1/logs", Otlp.logs("svc\0x", List.of(Otlp.log(now, "before\0after"))).toByteArray(),
          "application/x-protobuf").statusCode()).isEqualTo(200);
      assertThat(c.post("/v1/traces", Otlp.traces("svc\0x", List.of(Otlp.serverSpan(now, 3, "GET", "/nul\0path", 200)))
          .toByteArray(), "application/x-protobuf").statusCode()).isEqualTo(200);

      JsonNode logs = c.get("/api/logs?service=" + enc("svc\0x")).get("items");
      assertThat(logs).hasSize(1);
      assertThat(logs.get(0).get("message").asText()).isEqualTo("before\uFFFDafter");
      assertThat(c.get("/api/logs?q=after").get("items")).hasSize(1);
      assertThat(c.get("/api/requests?path=" + enc("/nul\0path")).get("items")).hasSize(1);
      assertThat(c.get("/api/requests?service=" + enc("svc\uFFFDx")).get("items")).hasSize(1);
    }
  }

  @Test
  void aRegexTheStoreCannotReadIsA400NamingThePath() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      for (String path : new String[] {"regex:(?<name>x)", "regex:a++", "[", "/a/[b"}) {
        var answer = c.fetch("/api/requests?path=" + enc(path));
        assertThat(answer.statusCode()).as(path).isIn(200, 400);
        if (answer.statusCode() == 400) {
          assertThat(answer.body()).as(path).contains("'path'");
        }
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
