package dev.lookout.bench;

import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.export.TelemetryPipeline;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.trace.PathFilter;
import dev.lookout.agent.trace.ServerSpans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the TLS-PSK channel costs against plain OTLP/HTTP: the agent's real export pipeline
 * (batch processor, OTLP exporter, and for PSK the agent's TLS tunnel) fed request spans as fast
 * as two threads can make them, into one real collector that has both listeners. Spans per second
 * stored by the collector in the steady window, the two channels alternated over rounds.
 */
public final class PskChannelBench {

  /** Rows committed by ingest: unlike the row count, retention (the 1 GB default cap) does not lower it. */
  private static final Pattern ROWS_WRITTEN = Pattern.compile("\"rowsWritten\"\\s*:\\s*(\\d+)");

  public static void main(String[] args) throws Exception {
    Path root = Path.of(Procs.env("LOOKOUT_ROOT", ".")).toAbsolutePath().normalize();
    int rounds = Procs.envInt("ROUNDS", 2);
    int warmupSeconds = Procs.envInt("WARMUP_SECONDS", 5);
    int measureSeconds = Procs.envInt("MEASURE_SECONDS", 15);
    int offered = Procs.envInt("RATE", 60_000);
    Path results = root.resolve(Procs.env("RESULTS_DIR", "bench/results"));
    Path work = root.resolve("bench/target/run");
    Files.createDirectories(work);
    Files.createDirectories(results);

    Path dataDir = Files.createTempDirectory(work, "psk-bench-");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String hexKey = HexFormat.of().formatHex(key);
    Files.writeString(dataDir.resolve("psk.keys"), "bench " + hexKey + "\n");

    int apiPort = Procs.freePort();
    int otlpPort = Procs.freePort();
    int pskPort = Procs.freePort();
    Process collector = new ProcessBuilder("java", "-jar", root.resolve("collector/target/lookout-collector.jar").toString(),
        "--no-auth", "--port", Integer.toString(apiPort), "--otlp-port", Integer.toString(otlpPort),
        "--psk-port", Integer.toString(pskPort), "--data-dir", dataDir.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("psk-bench-collector.log").toFile()).start();
    List<String> lines = new ArrayList<>();
    try {
      String api = "http://127.0.0.1:" + apiPort;
      Procs.awaitOk(api + "/healthz", collector, 60_000, 50);
      String plain = "collector.url=http://127.0.0.1:" + otlpPort;
      String psk = "collector.url=psk://127.0.0.1:" + pskPort + ";psk.identity=bench;psk.key=" + hexKey;
      List<Double> plainRates = new ArrayList<>();
      List<Double> pskRates = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        plainRates.add(run("http", plain, api, offered, warmupSeconds, measureSeconds));
        pskRates.add(run("psk", psk, api, offered, warmupSeconds, measureSeconds));
      }
      Stats plainStats = Stats.of(plainRates);
      Stats pskStats = Stats.of(pskRates);
      double plainMedian = plainStats.median();
      double pskMedian = pskStats.median();
      lines.add("# TLS-PSK channel vs plain OTLP/HTTP");
      lines.add("");
      lines.add("Run " + Instant.now() + ", " + rounds + " rounds alternated, " + measureSeconds
          + " s measured after " + warmupSeconds + " s warm-up, " + offered
          + " spans/s offered; one collector process, the agent's export pipeline in-process.");
      lines.add("");
      lines.add("| channel | spans/s committed by the collector, median (min–max) |");
      lines.add("|---|---|");
      lines.add("| OTLP/HTTP plain | " + plainStats.format("%.0f") + " |");
      lines.add("| TLS-PSK (TLS 1.2 ECDHE_PSK) | " + pskStats.format("%.0f") + " |");
      lines.add("");
      lines.add(String.format(Locale.ROOT, "PSK / plain: %.2f×", pskMedian / plainMedian));
      Files.write(results.resolve("psk.md"), lines);
      lines.forEach(System.out::println);
    } finally {
      Procs.stop(collector, 20);
      Procs.deleteTree(dataDir);
    }
  }

  /** Spans/s the collector stored from one agent pipeline on {@code agentArgs}, in the steady window. */
  private static double run(String label, String agentArgs, String api, int offered, int warmupSeconds,
      int measureSeconds) throws Exception {
    AgentConfig config = AgentConfig.load(agentArgs + ";service.name=psk-bench-" + label);
    TelemetryPipeline pipeline = TelemetryPipeline.startAsAgent(config);
    ServletHooks.install(new ServerSpans(pipeline.sink(), PathFilter.parse(null)), false);
    AtomicBoolean producing = new AtomicBoolean(true);
    List<Thread> producers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Thread t = new Thread(() -> {
        // Each thread makes half the offered rate, a slice per millisecond: a fixed load rather than
        // spinning threads that would starve the exporter and the collector of the two cores.
        int perMilli = Math.max(1, offered / 2 / 1000);
        long n = 0;
        long next = System.nanoTime();
        while (producing.get()) {
          for (int k = 0; k < perMilli; k++) {
            Object request = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/orders/" + (n++ % 1000), null,
                "127.0.0.1", null, null, null);
            ServletHooks.requestEnd(request, 200, null, "/orders/{id}", null);
          }
          next += 1_000_000;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      }, "psk-bench-producer-" + i);
      t.setDaemon(true);
      t.start();
      producers.add(t);
    }
    HttpClient http = HttpClient.newHttpClient();
    try {
      Thread.sleep(warmupSeconds * 1000L);
      long before = rowsWritten(http, api);
      long t0 = System.nanoTime();
      Thread.sleep(measureSeconds * 1000L);
      long after = rowsWritten(http, api);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rate = (after - before) / seconds;
      System.out.printf(Locale.ROOT, "%-5s %,.0f spans/s%n", label, rate);
      return rate;
    } finally {
      producing.set(false);
      for (Thread t : producers) {
        t.join();
      }
      pipeline.shutdown();
    }
  }

  private static long rowsWritten(HttpClient http, String api) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/stats")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = ROWS_WRITTEN.matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException("/api/stats has no ingest.rowsWritten: " + r.body());
    }
    return Long.parseLong(m.group(1));
  }
}
