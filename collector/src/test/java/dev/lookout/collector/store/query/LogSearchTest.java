package dev.lookout.collector.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/logs?q=} pages come newest first by time and complete, also when the newest records
 * by time arrived first (so they hold the oldest ids, outside the search's first id window).
 */
@ParameterizedClass
@EnumSource(Store.class)
class LogSearchTest {
  @Parameter
  Store store;


  @TempDir
  Path dataDir;

  @Test
  void newestFirstAndCompleteWhateverTheArrivalOrder() throws Exception {
    int total = (int) (NewestMatches.FIRST_WINDOW * 3);
    long base = System.currentTimeMillis() - 3_600_000L;
    List<Long> commonTimes = new ArrayList<>();
    List<Long> rareTimes = new ArrayList<>();
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      List<LogRecord> batch = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        // the first half sent holds the newer half of the times: late arrivals, from the ids' view
        long time = i < total / 2 ? base + 1_000_000 + i : base + i;
        String message;
        if (i % 5 == 0) {
          message = "common word in record " + i;
          commonTimes.add(time);
        } else if (i == 3 || i == total - 2) {
          message = "a rare kerfuffle " + i;
          rareTimes.add(time);
        } else {
          message = "other text " + i;
        }
        batch.add(Otlp.log(time, message));
        if (batch.size() == 1_000 || i == total - 1) {
          assertThat(c.post("/v1/logs", Otlp.logs("svc", batch).toByteArray(), "application/x-protobuf").statusCode())
              .isEqualTo(200);
          batch.clear();
        }
      }
      commonTimes.sort((a, b) -> Long.compare(b, a));
      rareTimes.sort((a, b) -> Long.compare(b, a));
      assertThat(times(c, "q=common&limit=50", 1)).isEqualTo(commonTimes.subList(0, 50));
      assertThat(times(c, "q=common&limit=1000", Integer.MAX_VALUE)).isEqualTo(commonTimes);
      assertThat(times(c, "q=kerfuffle&limit=50", Integer.MAX_VALUE)).isEqualTo(rareTimes);
      assertThat(times(c, "q=" + URLEncoder.encode("rare kerfuffle", StandardCharsets.UTF_8) + "&limit=1",
          Integer.MAX_VALUE)).isEqualTo(rareTimes);
      assertThat(times(c, "q=absent&limit=50", Integer.MAX_VALUE)).isEmpty();
    }
  }

  /**
   * A word rare enough that the whole table is searched instead of proving a large window's page
   * complete ({@link NewestMatches#fewerToSortThanToWalk}): still newest first, the late arrival
   * with the oldest id included.
   */
  @Test
  void aRareWordIsSearchedInTheWholeTableNewestFirst() throws Exception {
    int total = (int) (NewestMatches.FIRST_WINDOW * 10);
    long base = System.currentTimeMillis() - 3_600_000L;
    List<Long> rareTimes = new ArrayList<>();
    try (InProcessCollector c = new InProcessCollector(dataDir, store.freshArgs())) {
      List<LogRecord> batch = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        long time = i == 0 ? base + 10 * total : base + i; // the first sent is the newest
        String message = "other text " + i;
        if (i == 0 || i == total / 3 || i == total / 2 || i == total - 2 * NewestMatches.FIRST_WINDOW) {
          message = "a rare kerfuffle " + i;
          rareTimes.add(time);
        }
        batch.add(Otlp.log(time, message));
        if (batch.size() == 4_096 || i == total - 1) {
          assertThat(c.post("/v1/logs", Otlp.logs("svc", batch).toByteArray(), "application/x-protobuf").statusCode())
              .isEqualTo(200);
          batch.clear();
        }
      }
      rareTimes.sort((a, b) -> Long.compare(b, a));
      assertThat(NewestMatches.fewerToSortThanToWalk(NewestMatches.FIRST_WINDOW * 8, total, 1)).isTrue();
      assertThat(times(c, "q=kerfuffle&limit=1", Integer.MAX_VALUE)).isEqualTo(rareTimes);
      assertThat(times(c, "q=kerfuffle&limit=2", Integer.MAX_VALUE)).isEqualTo(rareTimes);
      assertThat(times(c, "q=kerfuffle&limit=50", 1)).isEqualTo(rareTimes);
    }
  }

  /** The rule's arithmetic: at 10 M ids a 50-row page of a rare word goes whole from the 2 M-id window on. */
  @Test
  void theWholeTableIsSearchedOnlyWhenItsMatchesAreFewerThanTheWalk() {
    long w = NewestMatches.FIRST_WINDOW;
    assertThat(NewestMatches.fewerToSortThanToWalk(w * 512, 10_000_000, 50)).isTrue();
    assertThat(NewestMatches.fewerToSortThanToWalk(w * 64, 10_000_000, 50)).isFalse();
    assertThat(NewestMatches.fewerToSortThanToWalk(w * 8, 10_000_000, 50)).isFalse();
    assertThat(NewestMatches.fewerToSortThanToWalk(w * 512, 1_000_000_000, 50)).isFalse();
  }

  /** The times of up to {@code pages} pages of the query, following the cursor. */
  private static List<Long> times(InProcessCollector c, String query, int pages) throws Exception {
    List<Long> out = new ArrayList<>();
    String cursor = null;
    for (int p = 0; p < pages; p++) {
      JsonNode page = c.get("/api/logs?" + query + (cursor == null ? "" : "&cursor="
          + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      page.get("items").forEach(item -> out.add(item.get("time").asLong()));
      if (page.get("nextCursor").isNull()) {
        break;
      }
      cursor = page.get("nextCursor").asText();
    }
    return out;
  }
}
