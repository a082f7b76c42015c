package dev.lookout.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One reading of a running collector: its /api/stats and /metrics, its resident memory from
 * /proc, and its live heap: what survives a full collection asked for with jcmd (the figure
 * that shows a leak; "used" alone saws up and down with garbage).
 */
public record CollectorGauges(long rowsWritten, long requestRows, long retentionDeletedRequests, long dbBytes,
    long heapUsed, long heapAfterGc, long rssBytes) {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A reading; the live heap (a full GC in the collector, two jcmd runs) only when asked, else -1. */
  public static CollectorGauges read(CollectorProcess c, boolean withLiveHeap) {
    JsonNode stats = c.api().get("/api/stats").body();
    Map<String, Double> metrics = metrics("http://127.0.0.1:" + c.port() + "/metrics");
    return new CollectorGauges(stats.get("ingest").get("rowsWritten").asLong(),
        stats.get("rows").get("requests").asLong(), stats.get("retentionDeleted").get("requests").asLong(),
        stats.get("dbSizeBytes").asLong(), metrics.getOrDefault("lookout_jvm_heap_used_bytes", -1.0).longValue(),
        withLiveHeap ? liveHeap(c.pid()) : -1, rss(c.pid()));
  }

  /**
   * Bytes of live objects: {@code jcmd GC.class_histogram} collects fully first and sums what
   * survived, in one step (a separate GC.run then GC.heap_info would count what was allocated in
   * between). -1 when jcmd cannot attach.
   */
  public static long liveHeap(long pid) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)")
        .matcher(jcmd(pid, "GC.class_histogram"));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** What {@code jcmd <pid> <command>} prints; a jcmd that cannot run fails the test, never reads as empty. */
  public static String jcmd(long pid, String command) {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("jcmd " + command + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running jcmd " + command, e);
    }
  }

  private static Map<String, Double> metrics(String url) {
    Map<String, Double> values = new HashMap<>();
    try {
      String text = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (!line.startsWith("#") && line.indexOf(' ') > 0 && !line.contains("{")) {
          values.put(line.substring(0, line.indexOf(' ')), Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return values;
  }

  /** VmRSS of a process (Linux), or -1. */
  public static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  public static String mib(long bytes) {
    return bytes < 0 ? "?" : String.format("%.1f MiB", bytes / 1048576.0);
  }
}
