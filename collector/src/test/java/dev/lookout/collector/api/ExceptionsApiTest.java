package dev.lookout.collector.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/exceptions}: groups by fingerprint, and their histogram over the asked range. */
@ParameterizedClass
@EnumSource(Store.class)
class ExceptionsApiTest {
  @Parameter
  Store store;


  @TempDir
  Path dataDir;

  @Test
  void groupsCarryAHistogramOfTheirOccurrencesPerSlice() throws Exception {
    long to = System.currentTimeMillis() / 1000 * 1000;
    long from = to - 12 * 60_000;
    List<LogRecord> records = new ArrayList<>();
    // Minute slices 0, 0, 5 and 11 for the timeout; slice 11 for the parse error.
    for (long at : new long[] {from + 1_000, from + 50_000, from + 5 * 60_000 + 1, to - 1}) {
      records.add(thrown(at, "java.net.SocketTimeoutException", "at shop.Inventory.reserve(Inventory.java:10)"));
    }
    records.add(thrown(to - 10, "java.text.ParseException", "at shop.Orders.parse(Orders.java:7)"));

    try (InProcessCollector collector = new InProcessCollector(dataDir, store.freshArgs())) {
      assertThat(collector.post("/v1/logs", Otlp.logs("shop", records).toByteArray(), "application/x-protobuf")
          .statusCode()).isEqualTo(200);

      JsonNode items = collector.get("/api/exceptions?service=shop&from=" + from + "&to=" + to + "&buckets=12").get("items");
      assertThat(items).hasSize(2);
      JsonNode timeout = find(items, "java.net.SocketTimeoutException");
      assertThat(timeout.get("count").asLong()).isEqualTo(4);
      assertThat(numbers(timeout.get("histogram"))).containsExactly(2L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 1L);
      assertThat(numbers(find(items, "java.text.ParseException").get("histogram")))
          .containsExactly(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L);

      assertThat(collector.get("/api/exceptions?service=shop").get("items").get(0).has("histogram")).isFalse();
    }
  }

  @Test
  void aBadBucketCountIsA400NamingIt() throws Exception {
    try (InProcessCollector collector = new InProcessCollector(dataDir, store.freshArgs())) {
      for (String bad : new String[] {"0", "many", "100000"}) {
        var answer = collector.fetch("/api/exceptions?buckets=" + bad);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("'buckets'");
      }
    }
  }

  private static LogRecord thrown(long millis, String type, String frame) {
    return Otlp.log(millis, "request failed").toBuilder()
        .setSeverityNumberValue(17).setSeverityText("ERROR")
        .addAttributes(Otlp.kv("exception.type", type))
        .addAttributes(Otlp.kv("exception.message", "boom"))
        .addAttributes(Otlp.kv("exception.stacktrace", type + ": boom\n\t" + frame + "\n"))
        .build();
  }

  private static JsonNode find(JsonNode items, String type) {
    for (JsonNode item : items) {
      if (item.get("type").asText().equals(type)) {
        return item;
      }
    }
    throw new AssertionError("no group of " + type + " in " + items);
  }

  private static List<Long> numbers(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }
}
