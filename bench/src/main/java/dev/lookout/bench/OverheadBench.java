package dev.lookout.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The overhead comparison behind {@code scripts/bench.sh}: the bench app under wrk with no agent,
 * with Lookout and with the OpenTelemetry Java agent, alternated A B C A B C … for ROUNDS rounds;
 * both agents export to a real Lookout collector process (a fresh one per run). Writes
 * bench/results/overhead.json, overhead.md and overhead.png.
 *
 * <p>Environment: ROUNDS (3), WARMUP seconds per endpoint (10), DURATION seconds measured per
 * endpoint (10), ENDPOINTS (plain,log,exception,json,file), CONFIGS (none,lookout,otel), THREADS (2),
 * CONNECTIONS (16), APP_JAVA (java), APP_JVM_OPTS (-Xmx1g), PIN (0: no CPU pinning; 1: app on CPU 0,
 * wrk on CPU 1), COLLECTOR_NICE (10), JFR (configs to record with JFR, e.g. "lookout").
 */
public final class OverheadBench {

  static final List<String> ALL_ENDPOINTS = List.of("plain", "log", "exception", "json", "file");

  record EndpointResult(Wrk.Result wrk, double cpuMicrosPerRequest) {}

  record Run(int round, String config, double startupMillis, long rssKb, long hwmKb,
      Map<String, EndpointResult> endpoints, long requestsServed, long spansStored, String exporters) {}

  private final Path root;
  private final Path work;
  private final Path results;
  private final int rounds = Procs.envInt("ROUNDS", 3);
  private final int warmup = Procs.envInt("WARMUP", 10);
  private final int duration = Procs.envInt("DURATION", 10);
  private final int threads = Procs.envInt("THREADS", 2);
  private final int connections = Procs.envInt("CONNECTIONS", 16);
  private final List<String> endpoints = List.of(Procs.env("ENDPOINTS", String.join(",", ALL_ENDPOINTS)).split(","));
  private final List<String> configs = List.of(Procs.env("CONFIGS", "none,lookout,otel").split(","));
  private final String appJava = Procs.env("APP_JAVA", "java");
  private final List<String> appJvmOpts = List.of(Procs.env("APP_JVM_OPTS", "-Xmx1g").split("\\s+"));
  private final boolean pin = Procs.env("PIN", "0").equals("1");
  private final int collectorNice = Procs.envInt("COLLECTOR_NICE", 10);
  private final List<String> jfr = List.of(Procs.env("JFR", "").split(","));
  private Path appJar;
  private Path lookoutJar;
  private Path otelJar;
  private Path collectorJar;

  private OverheadBench(Path root) {
    this.root = root;
    this.work = root.resolve("bench/target/run");
    this.results = root.resolve(Procs.env("RESULTS_DIR", "bench/results"));
    this.appJar = root.resolve("bench/target/lookout-bench-app.jar");
    this.lookoutJar = root.resolve("agent/target/lookout-agent.jar");
    this.otelJar = root.resolve("bench/target/otel/opentelemetry-javaagent.jar");
    this.collectorJar = root.resolve("collector/target/lookout-collector.jar");
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(Procs.env("LOOKOUT_ROOT", ".")).toAbsolutePath().normalize();
    new OverheadBench(root).run();
  }

  private void run() throws Exception {
    for (Path p : List.of(appJar, lookoutJar, otelJar, collectorJar)) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("missing " + p + " (build with: mvn -B -Pbench -DskipTests package -pl bench -am)");
      }
    }
    Files.createDirectories(work);
    Files.createDirectories(results);
    // Private copies: other builds may rewrite the jars under */target while this runs.
    Path jars = Files.createDirectories(work.resolve("jars"));
    appJar = copy(appJar, jars);
    lookoutJar = copy(lookoutJar, jars);
    otelJar = copy(otelJar, jars);
    collectorJar = copy(collectorJar, jars);
    long started = System.nanoTime();
    System.out.printf(Locale.ROOT, "overhead bench: %d round(s) x %s, endpoints %s, wrk -t%d -c%d, %ds warm-up + %ds"
        + " measured per endpoint, pin=%s%n", rounds, configs, endpoints, threads, connections, warmup, duration, pin);
    List<Run> runs = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (String config : configs) {
        Run run = runOnce(round, config);
        runs.add(run);
        System.out.printf(Locale.ROOT, "round %d %-8s startup %.0f ms, RSS %d MiB, %s%n", round, config,
            run.startupMillis, run.rssKb / 1024, summary(run));
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    Report report = new Report(runs, configs, endpoints, settings(minutes), jarSizes());
    Files.writeString(results.resolve("overhead.json"), report.json());
    Files.writeString(results.resolve("overhead.md"), report.markdown());
    Chart.overhead(report, results.resolve("overhead.png"));
    System.out.println();
    System.out.println(report.markdown());
    System.out.printf(Locale.ROOT, "wrote %s, overhead.md, overhead.png (%.1f min)%n", results.resolve("overhead.json"),
        minutes);
  }

  private static Path copy(Path jar, Path dir) throws IOException {
    return Files.copy(jar, dir.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String summary(Run run) {
    StringBuilder sb = new StringBuilder();
    run.endpoints.forEach((name, r) -> sb.append(String.format(Locale.ROOT, "%s %.0f/s p99 %.2f ms; ", name,
        r.wrk.requestsPerSecond(), r.wrk.p99Micros() / 1000)));
    if (run.spansStored >= 0) {
      sb.append(String.format(Locale.ROOT, "stored %d of %d requests", run.spansStored, run.requestsServed));
    }
    return sb.toString();
  }

  private Run runOnce(int round, String config) throws Exception {
    String tag = "r" + round + "-" + config;
    Process collector = null;
    Path dataDir = null;
    Process app = null;
    String exporters = "-";
    long spansStored = -1;
    try {
      List<String> agentArgs = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      if (!config.equals("none")) {
        dataDir = Files.createTempDirectory(work, "collector-" + tag + "-");
        int apiPort = Procs.freePort();
        int otlpPort = Procs.freePort();
        List<String> cmd = new ArrayList<>();
        if (collectorNice != 0) {
          cmd.addAll(List.of("nice", "-n", Integer.toString(collectorNice)));
        }
        cmd.addAll(List.of("java", "-jar", collectorJar.toString(), "--no-auth", "--port", Integer.toString(apiPort),
            "--otlp-port", Integer.toString(otlpPort), "--data-dir", dataDir.toString()));
        collector = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(work.resolve("collector-" + tag + ".log").toFile()).start();
        Procs.awaitOk("http://127.0.0.1:" + apiPort + "/healthz", collector, 60_000, 50);
        String otlp = "http://127.0.0.1:" + otlpPort;
        if (config.equals("lookout")) {
          agentArgs.add("-javaagent:" + lookoutJar);
          agentArgs.add("-Dlookout.collector.url=" + otlp);
          agentArgs.add("-Dlookout.service.name=bench-app");
          exporters = "traces+logs (Lookout's own pipeline)";
        } else if (config.equals("otel")) {
          agentArgs.add("-javaagent:" + otelJar);
          env.put("OTEL_SERVICE_NAME", "bench-app");
          env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlp);
          env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
          env.put("OTEL_TRACES_EXPORTER", "otlp");
          String logs = accepts(otlp + "/v1/logs") ? "otlp" : "none";
          String metrics = accepts(otlp + "/v1/metrics") ? "otlp" : "none";
          env.put("OTEL_LOGS_EXPORTER", logs);
          env.put("OTEL_METRICS_EXPORTER", metrics);
          exporters = "traces=otlp logs=" + logs + " metrics=" + metrics;
        } else {
          throw new IllegalArgumentException("unknown config " + config);
        }
      }
      if (jfr.contains(config)) {
        agentArgs.add("-XX:StartFlightRecording=filename=" + work.resolve(tag + ".jfr") + ",settings=profile");
      }
      int port = Procs.freePort();
      List<String> cmd = new ArrayList<>();
      if (pin) {
        cmd.addAll(List.of("taskset", "-c", "0"));
      }
      cmd.add(appJava);
      cmd.addAll(appJvmOpts);
      cmd.addAll(agentArgs);
      cmd.add("-Dbench.log.file=" + work.resolve("app-" + tag + "-records.log"));
      cmd.addAll(List.of("-jar", appJar.toString(), Integer.toString(port)));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(work.resolve("app-" + tag + ".log").toFile());
      pb.environment().putAll(env);
      long t0 = System.nanoTime();
      app = pb.start();
      String base = "http://127.0.0.1:" + port;
      long ready = Procs.awaitOk(base + "/plain", app, 120_000, 10);
      double startupMillis = (ready - t0) / 1e6;
      long pid = app.pid();
      List<String> wrkPrefix = pin ? List.of("taskset", "-c", "1") : List.of();
      Path wrkLog = work.resolve("wrk-" + tag + ".log");
      Map<String, EndpointResult> byEndpoint = new LinkedHashMap<>();
      long served = 1;
      for (String endpoint : endpoints) {
        String url = base + "/" + endpoint;
        Wrk.Result warm = Wrk.run(wrkPrefix, threads, connections, warmup, url, wrkLog);
        long cpu0 = Procs.cpuMicros(pid);
        Wrk.Result measured = Wrk.run(wrkPrefix, threads, connections, duration, url, wrkLog);
        long cpu1 = Procs.cpuMicros(pid);
        served += warm.requests() + measured.requests();
        if (measured.non2xx() > 0 || measured.socketErrors() > 0) {
          System.out.printf("  warning: %s %s: %d non-2xx, %d socket errors%n", tag, endpoint, measured.non2xx(),
              measured.socketErrors());
        }
        byEndpoint.put(endpoint, new EndpointResult(measured,
            measured.requests() == 0 ? Double.NaN : (double) (cpu1 - cpu0) / measured.requests()));
      }
      long rss = Procs.statusKb(pid, "VmRSS");
      long hwm = Procs.statusKb(pid, "VmHWM");
      Procs.stop(app, 20);
      app = null;
      if (collector != null) {
        Thread.sleep(1000); // the last export lands
        Procs.stop(collector, 20);
        collector = null;
        spansStored = countRequests(dataDir.resolve("lookout.db"));
      }
      return new Run(round, config, startupMillis, rss, hwm, byEndpoint, served, spansStored, exporters);
    } finally {
      Procs.stop(app, 5);
      Procs.stop(collector, 5);
      Procs.deleteTree(dataDir);
    }
  }

  /** Whether the collector serves an OTLP path: an empty protobuf export request is valid OTLP. */
  private static boolean accepts(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/x-protobuf");
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      c.getOutputStream().close();
      int code = c.getResponseCode();
      c.disconnect();
      return code / 100 == 2;
    } catch (IOException e) {
      return false;
    }
  }

  private static long countRequests(Path db) {
    if (!Files.exists(db)) {
      return -1;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM requests")) {
      return rs.next() ? rs.getLong(1) : -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private Map<String, String> settings(double minutes) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("date", Instant.now().toString());
    s.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
    s.put("cpu", Procs.cpuModel());
    s.put("kernel", Procs.firstLine(List.of("uname", "-r")));
    s.put("appJdk", javaVersion());
    s.put("appJvmOpts", String.join(" ", appJvmOpts));
    s.put("wrk", "-t" + threads + " -c" + connections + ", " + warmup + " s warm-up + " + duration
        + " s measured per endpoint");
    s.put("rounds", Integer.toString(rounds));
    s.put("pinning", pin ? "app on CPU 0, wrk on CPU 1, collector unpinned" : "none: app, wrk and collector share both cores");
    s.put("collector", "fresh lookout-collector per agent run, nice " + collectorNice + ", same 2 cores");
    s.put("otelAgentVersion", otelVersion());
    s.put("gitCommit", Procs.firstLine(List.of("git", "-C", root.toString(), "rev-parse", "--short", "HEAD")));
    s.put("minutes", String.format(Locale.ROOT, "%.1f", minutes));
    return s;
  }

  private String javaVersion() {
    try {
      Process p = new ProcessBuilder(appJava, "-version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out.lines().filter(l -> l.contains("Runtime Environment")).findFirst().orElse(out.lines().findFirst()
          .orElse("")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private String otelVersion() {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(otelJar.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private Map<String, Long> jarSizes() throws IOException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    sizes.put("lookout", Files.size(lookoutJar));
    sizes.put("otel", Files.size(otelJar));
    return sizes;
  }

  static <T> List<Double> values(List<T> items, Function<T, Double> f) {
    List<Double> out = new ArrayList<>();
    for (T t : items) {
      out.add(f.apply(t));
    }
    return out;
  }
}
