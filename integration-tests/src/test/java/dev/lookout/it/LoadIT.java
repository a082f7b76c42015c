package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.CollectorGauges;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.OtlpLoad;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fifty simulated agents at a steady rate into a collector whose caps keep retention deleting the
 * whole time: every acknowledged span is stored or was removed by retention (and counted), none is
 * stored twice or without its 2xx, the file stays under its cap and the heap stays flat.
 * {@code -Dlookout.load.seconds} makes it a soak ({@code scripts/soak.sh}); each report line also
 * goes to {@code target/it-logs/load-report.txt}.
 */
class LoadIT {

  private static final int AGENTS = 50;
  private static final int SPANS_PER_BATCH = 20;
  private static final Duration PERIOD = Duration.ofMillis(500); // 50 × 20 / 0.5 s = 2000 spans/s
  private static final long MAX_ROWS = 20_000;
  private static final long MAX_DB_BYTES = 12L << 20;
  private static final String HEAP = "-Xmx256m";

  @Test
  void fiftyAgentsWithRetentionChurningLoseNothingAcknowledgedAndStayBounded() throws Exception {
    long seconds = Long.getLong("lookout.load.seconds", 60);
    long reportEvery = Long.getLong("lookout.load.reportSeconds", 10);
    Path report = Jars.logDir().resolve("load-report.txt");
    Files.deleteIfExists(report);
    try (CollectorProcess c = CollectorProcess.start(List.of(HEAP), Files.createTempDirectory("lookout-load"),
        ForkedProcess.freePort(), ForkedProcess.freePort(), "--no-auth",
        "--max-rows", "requests=" + MAX_ROWS, "--max-db-size", (MAX_DB_BYTES >> 20) + "MB")) {
      List<CollectorGauges> samples = new ArrayList<>();
      List<Long> liveHeaps = new ArrayList<>();
      long started = System.nanoTime();
      long lastReport = started;
      long lastRows = 0;
      OtlpLoad load = new OtlpLoad(c.otlpUrl(), AGENTS, SPANS_PER_BATCH, PERIOD);
      try {
        line(report, String.format("load: %d agents × %d spans every %d ms for %d s; caps %d request rows, %s; %s",
            AGENTS, SPANS_PER_BATCH, PERIOD.toMillis(), seconds, MAX_ROWS, CollectorGauges.mib(MAX_DB_BYTES), HEAP));
        while (System.nanoTime() - started < Duration.ofSeconds(seconds).toNanos()) {
          Thread.sleep(2000);
          long now = System.nanoTime();
          boolean reportNow = now - lastReport >= Duration.ofSeconds(reportEvery).toNanos();
          CollectorGauges g = CollectorGauges.read(c, reportNow);
          samples.add(g);
          if (reportNow) {
            liveHeaps.add(g.heapAfterGc());
            line(report, String.format("t=%4ds ingest %6.0f rows/s · stored %6d · retention deleted %8d · db %s"
                    + " · heap %s (live after full GC %s) · RSS %s · 503s %d", (now - started) / 1_000_000_000L,
                (g.rowsWritten() - lastRows) / ((now - lastReport) / 1e9), g.requestRows(), g.retentionDeletedRequests(),
                CollectorGauges.mib(g.dbBytes()), CollectorGauges.mib(g.heapUsed()),
                CollectorGauges.mib(g.heapAfterGc()), CollectorGauges.mib(g.rssBytes()), load.refused()));
            lastReport = now;
            lastRows = g.rowsWritten();
          }
        }
      } finally {
        load.close();
      }
      assertThat(c.isAlive()).isTrue();
      assertThat(c.output()).doesNotContain("OutOfMemoryError");

      // Accounting: every committed row is either stored or counted as deleted by retention.
      Thread.sleep(1500); // one retention pass after the last commit, so its count is final
      CollectorGauges end = CollectorGauges.read(c, false);
      long unknownSpans = load.unknown() * SPANS_PER_BATCH;
      long accounted = end.requestRows() + end.retentionDeletedRequests();
      line(report, String.format("done: %d spans acknowledged (%d batches), %d answers 503, %d batches given up,"
              + " %d unknown; stored %d + deleted by retention %d = %d", load.ackedSpans(), load.acked().size(),
          load.refused(), load.givenUp(), load.unknown(), end.requestRows(), end.retentionDeletedRequests(), accounted));
      assertThat(load.ackedSpans()).as("the load ran").isGreaterThan(seconds * 500);
      assertThat(accounted).as("stored + deleted by retention vs acknowledged")
          .isBetween(load.ackedSpans(), load.ackedSpans() + unknownSpans);
      assertThat(end.retentionDeletedRequests()).as("retention churned").isPositive();

      // Exactly which spans: none stored twice, none stored without a 2xx, the newest all there.
      Set<String> stored = storedPaths(c);
      assertThat(stored).as("no duplicates").hasSize((int) end.requestRows());
      Set<String> ackedPaths = new HashSet<>();
      long newest = 0;
      for (OtlpLoad.Acked a : load.acked()) {
        newest = Math.max(newest, a.startMillis());
        for (int i = 0; i < a.spans(); i++) {
          ackedPaths.add(OtlpLoad.path(a.agent(), a.batch(), i));
        }
      }
      if (load.unknown() == 0) {
        assertThat(stored.stream().filter(p -> !ackedPaths.contains(p)).limit(10))
            .as("stored without a 2xx").isEmpty();
      }
      long missing = ackedPaths.stream().filter(p -> !stored.contains(p)).count();
      assertThat(missing).as("acknowledged spans missing").isLessThanOrEqualTo(end.retentionDeletedRequests());
      for (OtlpLoad.Acked a : load.acked()) {
        if (a.startMillis() > newest - 3000) { // retention removes the oldest first: the last seconds are all there
          for (int i = 0; i < a.spans(); i++) {
            String path = OtlpLoad.path(a.agent(), a.batch(), i);
            assertThat(stored.contains(path)).as("recent acknowledged span " + path).isTrue();
          }
        }
      }

      // Bounded: the file under its cap at every reading, the live heap flat once warmed up.
      long largestFile = samples.stream().mapToLong(CollectorGauges::dbBytes).max().orElse(0);
      int n = liveHeaps.size();
      long middleHeap = liveHeaps.subList(n / 3, 2 * n / 3).stream().mapToLong(Long::longValue).max().orElse(0);
      long lastHeap = liveHeaps.subList(2 * n / 3, n).stream().mapToLong(Long::longValue).max().orElse(0);
      boolean heapFlat = lastHeap <= middleHeap * 1.25 + (16 << 20);
      line(report, String.format("verdict: largest file %s (cap %s) %s; live heap %s in the middle third, %s in"
              + " the last: %s", CollectorGauges.mib(largestFile), CollectorGauges.mib(MAX_DB_BYTES),
          largestFile <= MAX_DB_BYTES ? "UNDER CAP" : "OVER CAP", CollectorGauges.mib(middleHeap),
          CollectorGauges.mib(lastHeap), heapFlat ? "FLAT" : "GROWING"));
      assertThat(largestFile).as("database file and WAL at every reading").isLessThanOrEqualTo(MAX_DB_BYTES);
      assertThat(heapFlat).as("heap after GC flat").isTrue();
    }
  }

  private static Set<String> storedPaths(CollectorProcess c) {
    Set<String> paths = new HashSet<>();
    List<String> all = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = c.api().get("/api/requests?service=" + OtlpLoad.SERVICE + "&limit=1000"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).body();
      page.get("items").forEach(i -> all.add(i.get("path").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    paths.addAll(all);
    assertThat(all).as("no span stored twice").hasSameSizeAs(paths);
    return paths;
  }

  private static void line(Path report, String text) throws IOException {
    System.out.println(text);
    Files.writeString(report, text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
