package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorGauges;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The agent in an application under heavy concurrency that logs twenty lines per request, first
 * with the collector up, then killed: the application keeps answering (no deadlock), its heap
 * stays within what lookout.buffer.max allows, and what the agent reports dropped plus what
 * the collector stored adds up to what the application produced.
 */
class AgentStressIT {

  private static final int CLIENTS = 32;
  private static final int LINES_PER_REQUEST = 20;
  private static final int BUFFER_MAX = 2000;
  private static final Duration PHASE = Duration.ofSeconds(15);
  /**
   * Records whose fate the agent cannot know: exported, unanswered when the kill cut them off (the collector may
   * have committed them, the agent counts them dropped). The agent holds at most {@code buffer.max} records,
   * queued or unanswered, so no more than that can be counted twice.
   */
  private static final long IN_FLIGHT = BUFFER_MAX;

  @Test
  void underHeavyConcurrencyAndHugeLogVolumeTheAppAnswersMemoryIsBoundedAndDropsAreHonest() throws Exception {
    Path data = Files.createTempDirectory("lookout-stress");
    int port = ForkedProcess.freePort();
    int otlpPort = ForkedProcess.freePort();
    Path julConfig = Files.createTempFile("jul", ".properties");
    // No console handler: the agent takes the records at the logger, the log file stays small.
    Files.writeString(julConfig, "handlers=\n.level=INFO\n");
    String service = "stress-" + System.nanoTime();
    CollectorProcess collector = CollectorProcess.start(data, port, otlpPort, "--no-auth");
    try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(),
        "collector.url=http://127.0.0.1:" + otlpPort + ";service.name=" + service + ";buffer.max=" + BUFFER_MAX,
        "-Xmx128m", "-Djava.util.logging.config.file=" + julConfig)) {
      Load up = hammer(app, PHASE);
      collector.kill(); // SIGKILL mid-export
      Load down = hammer(app, PHASE);
      long afterGc = CollectorGauges.liveHeap(app.pid());
      String threads = CollectorGauges.jcmd(app.pid(), "Thread.print");
      assertThat(threads).doesNotContain("Found one Java-level deadlock");
      assertThat(app.get("/hello").statusCode()).as("the app still answers").isEqualTo(200);

      collector = CollectorProcess.start(data, port, otlpPort, "--no-auth");
      long produced = (up.ok() + down.ok()) * (1 + LINES_PER_REQUEST);
      long[] settled = awaitSettled(collector);
      long stored = settled[0];
      long dropped = settled[1];
      System.out.printf("agent stress: collector up %.0f req/s (p99 %.1f ms), killed %.0f req/s (p99 %.1f ms),"
              + " %d clients, %d log lines per request; app live heap %s (-Xmx128m, buffer.max %d);"
              + " produced %d records, stored %d, reported dropped %d, unaccounted %d%n",
          up.rate(), up.p99(), down.rate(), down.p99(), CLIENTS, LINES_PER_REQUEST, CollectorGauges.mib(afterGc),
          BUFFER_MAX, produced, stored, dropped, produced - stored - dropped);
      assertThat(up.failed() + down.failed()).as("requests that failed").isZero();
      assertThat(down.ok()).as("the app kept serving with the collector gone").isGreaterThan((long) (down.seconds() * 100));
      assertThat(dropped).as("drops were reported").isPositive();
      // Honest: within the exports cut off by the kill (stored and also counted dropped), it adds up.
      assertThat(stored + dropped).as("stored + dropped vs produced").isBetween(produced, produced + IN_FLIGHT);
      assertThat(afterGc).as("app live heap").isLessThan(80L << 20);
    } finally {
      collector.close();
    }
  }

  record Load(long ok, long failed, double seconds, double p99) {
    double rate() {
      return ok / seconds;
    }
  }

  /** CLIENTS threads sending GET /log back to back for the given time. */
  private static Load hammer(AppProcess app, Duration time) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + app.port() + "/log?n=" + LINES_PER_REQUEST);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + time.toNanos();
    long started = System.nanoTime();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Thread client = new Thread(() -> {
        long[] mine = new long[200_000];
        int n = 0;
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          try {
            int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
              ok.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (Exception e) {
            failed.incrementAndGet();
          }
          if (n < mine.length) {
            mine[n++] = System.nanoTime() - t;
          }
        }
        latencies.add(java.util.Arrays.copyOf(mine, n));
      });
      client.start();
      clients.add(client);
    }
    for (Thread t : clients) {
      t.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
    double p99 = all.length == 0 ? 0 : all[(int) Math.ceil(all.length * 0.99) - 1] / 1e6;
    return new Load(ok.get(), failed.get(), seconds, p99);
  }

  /**
   * Stored records (request rows + log rows) and reported drops, once both stop moving: the agent
   * has sent what it still held and its next health report (every 10 s) has arrived.
   */
  private static long[] awaitSettled(CollectorProcess c) throws InterruptedException {
    long[] last = {-1, -1};
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode stats = c.api().get("/api/stats").body();
      long[] now = {stats.get("rows").get("requests").asLong() + stats.get("rows").get("logs").asLong(),
          stats.get("agentDrops").asLong()};
      if (now[0] != last[0] || now[1] != last[1]) {
        last = now;
        stableSince = System.nanoTime();
      } else if (System.nanoTime() - stableSince > Duration.ofSeconds(25).toNanos()) {
        return now;
      }
      Thread.sleep(1000);
    }
    return last;
  }
}
