package dev.lookout.collector.store.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.store.DurationHistogram;
import dev.lookout.collector.store.RequestColumns;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollups are summed per batch when a batch is submitted and merged by the writer: whatever
 * way the batches fold into commits, the stored minutes must equal the sums of all rows.
 */
class RequestRollupsTest {

  @TempDir
  Path dataDir;

  @Test
  void batchesSummedWhenSubmittedAddUpToTheSumsOfAllTheirRows() throws Exception {
    SplittableRandom random = new SplittableRandom(17);
    List<RequestRecord> all = new ArrayList<>();
    List<CompletableFuture<Void>> committed = new ArrayList<>();
    Database db = Database.open(dataDir);
    try (StoreWriter writer = new StoreWriter(db)) {
      // Submitted without waiting: while the writer commits the first, the others queue and fold.
      for (int b = 0; b < 60; b++) {
        List<RequestRecord> rows = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(300); i++) {
          rows.add(request(random));
        }
        all.addAll(rows);
        committed.add(writer.submit(new WriteBatch().addAll(Tables.REQUESTS, rows)));
      }
      CompletableFuture.allOf(committed.toArray(CompletableFuture[]::new)).get();
      assertThat(writer.commits()).as("some commits held several batches").isLessThan(60);
    }
    Map<String, String> expected = new TreeMap<>();
    Map<String, Object[]> sums = new TreeMap<>();
    for (RequestRecord r : all) {
      String key = r.service() + "|" + r.startTime() / 60_000 + "|" + RequestRollups.routeOf(r);
      Object[] s = sums.computeIfAbsent(key, k -> new Object[] {0L, 0L, 0.0, 0.0, new DurationHistogram()});
      s[0] = (long) s[0] + 1;
      s[1] = (long) s[1] + (r.status() >= 500 ? 1 : 0);
      s[2] = (double) s[2] + r.durationMs();
      s[3] = Math.max((double) s[3], r.durationMs());
      ((DurationHistogram) s[4]).add(r.durationMs());
    }
    sums.forEach((k, s) -> expected.put(k, s[0] + " " + s[1] + " " + Math.round((double) s[2] * 1000) + " " + s[3]
        + " " + Arrays.toString(((DurationHistogram) s[4]).toBytes())));
    Map<String, String> stored = new TreeMap<>();
    db.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery(
          "SELECT service, minute, route, count, errors, total_ms, max_ms, histogram FROM request_rollups")) {
        while (rs.next()) {
          stored.put(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3), rs.getLong(4) + " " + rs.getLong(5)
              + " " + Math.round(rs.getDouble(6) * 1000) + " " + rs.getDouble(7) + " " + Arrays.toString(rs.getBytes(8)));
        }
      }
      return null;
    });
    db.close();
    assertThat(stored).isEqualTo(expected);
  }

  private static RequestRecord request(SplittableRandom random) {
    String service = "svc-" + random.nextInt(3);
    String route = random.nextInt(4) == 0 ? null : "/r/" + random.nextInt(5);
    long start = 1_700_000_000_000L + random.nextLong(5 * 60_000);
    double duration = Math.round(random.nextDouble(0.01, 3000) * 1000) / 1000.0;
    // new String: the writer must not rely on strings whose hashes are already known
    return new RequestRecord(0, "t" + random.nextLong(), "s", new String(service), "GET", "/p/" + random.nextInt(9),
        route, null, random.nextInt(10) == 0 ? 503 : 200, duration, start, null, 0, 0, null, RequestColumns.NONE);
  }
}
