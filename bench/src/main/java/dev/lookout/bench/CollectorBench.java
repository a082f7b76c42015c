package dev.lookout.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collector ingest and query benchmark behind {@code scripts/bench-collector.sh}: starts a real
 * lookout-collector process on a fresh data directory (retention on), and for each checkpoint
 * (1,000,000 and ROWS) posts OTLP/HTTP protobuf batches of BATCH (512) server spans, then as many
 * log records, from SENDERS (8) threads until the checkpoint is acknowledged, and times filtered
 * {@code /api/requests} and {@code /api/logs} pages at that size. Writes
 * bench/results/collector.json and collector.md. The bodies are encoded once before the first
 * phase and only their ids and times patched per send ({@link PreEncoded}), so that the generator
 * takes little of the two cores it shares with the collector; {@code PRE_ENCODED=0} builds each anew.
 */
public final class CollectorBench {

  private static final String[] SERVICES = {"checkout", "catalog", "payments", "search", "accounts", "shipping",
      "inventory", "gateway"};
  private static final String[] PATHS = {"/api/orders/%d", "/api/products/%d", "/api/cart", "/api/search",
      "/api/users/%d/profile", "/health", "/static/app.js", "/api/payments/%d/capture"};
  private static final String[] ROUTES = {"/api/orders/{id}", "/api/products/{id}", "/api/cart", "/api/search",
      "/api/users/{id}/profile", "/health", "/static/*", "/api/payments/{id}/capture"};

  /** Makes the OTLP body for spans or log records [first, first + count) of {@code total}. */
  @FunctionalInterface
  private interface BodyMaker {
    byte[] make(SplittableRandom random, long first, int count);
  }

  /** One timed ingest phase. */
  private record Ingest(String signal, long records, double seconds, long bytes, long retried, double collectorCpuMicros,
      double generatorCpuMicros) {
    double perSecond() {
      return records / seconds;
    }

    double cpuMicrosPerRecord() {
      return collectorCpuMicros / records;
    }

    /** This process's CPU (the load generator: encoding, HTTP client, live probe) per record. */
    double generatorMicrosPerRecord() {
      return generatorCpuMicros / records;
    }
  }

  /** When a set of queries was timed: at a number of stored rows, and whether spans were being ingested meanwhile. */
  private record Size(long rows, boolean duringIngest) {}

  /** One timed query. */
  private record Timing(String api, String name, String query, int items, double p50, double p95, double p99,
      double max, int status) {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(Procs.env("LOOKOUT_ROOT", ".")).toAbsolutePath().normalize();
    long rows = Long.parseLong(Procs.env("ROWS", "1000000"));
    List<Long> checkpoints = checkpoints(Procs.env("CHECKPOINTS", ""), rows);
    int senders = Procs.envInt("SENDERS", 8);
    int batch = Procs.envInt("BATCH", 512);
    int repeat = Procs.envInt("QUERY_REPEAT", 30);
    boolean logs = !Procs.env("LOGS", "1").equals("0");
    String retention = Procs.env("RETENTION", "7d");
    String maxDbSize = Procs.env("MAX_DB_SIZE", "64GB");
    Path results = root.resolve(Procs.env("RESULTS_DIR", "bench/results"));
    Path work = root.resolve("bench/target/run");
    Files.createDirectories(work);
    Files.createDirectories(results);
    Path jar = root.resolve("collector/target/lookout-collector.jar");
    Path dataDir = Files.createTempDirectory(work, "collector-bench-");
    int apiPort = Procs.freePort();
    int otlpPort = Procs.freePort();
    List<String> command = new ArrayList<>(List.of("java"));
    String jvmOpts = Procs.env("COLLECTOR_JVM_OPTS", "").trim();
    if (!jvmOpts.isEmpty()) {
      command.addAll(List.of(jvmOpts.split("\\s+")));
    }
    command.addAll(List.of("-jar", jar.toString(), "--no-auth", "--port", Integer.toString(apiPort), "--otlp-port",
        Integer.toString(otlpPort), "--data-dir", dataDir.toString(), "--retention", retention, "--max-db-size",
        maxDbSize));
    String db = Procs.env("DB", "").trim();
    if (!db.isEmpty()) {
      command.addAll(List.of("--db", db)); // a PostgreSQL database instead of SQLite in the data directory
    }
    long seed = Long.parseLong(Procs.env("SEED_ROWS", "0"));
    if (seed > 0 && !db.isEmpty()) {
      throw new IllegalArgumentException("SEED_ROWS writes straight into SQLite; it cannot go with DB=" + db);
    }
    long now = System.currentTimeMillis();
    long windowStart = now - 3_600_000L; // ingested records spread over the last hour, in arrival order
    String api = "http://127.0.0.1:" + apiPort;
    if (seed > 0) {
      // a first start creates the schema; the seed goes in while no collector runs
      Process first = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(work.resolve("collector-bench-schema.log").toFile()).start();
      Procs.awaitOk(api + "/healthz", first, 60_000, 50);
      Procs.stop(first, 20);
      Seed.load(dataDir.resolve("lookout.db"), seed, checkpoints.get(checkpoints.size() - 1), windowStart);
    }
    Process collector = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("collector-bench.log").toFile()).start();
    try {
      Procs.awaitOk(api + "/healthz", collector, 60_000, 50);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      long total = checkpoints.get(checkpoints.size() - 1);
      // Bodies encoded once before any phase (PreEncoded); PRE_ENCODED=0 builds each body anew, as before
      boolean preEncoded = !Procs.env("PRE_ENCODED", "1").equals("0");
      long encodeStart = System.nanoTime();
      PreEncoded spanBodies = preEncoded ? new PreEncoded(PreEncoded.Signal.SPANS, batch) : null;
      PreEncoded logBodies = preEncoded && logs ? new PreEncoded(PreEncoded.Signal.LOGS, batch) : null;
      if (preEncoded) {
        System.out.printf(Locale.ROOT, "pre-encoded %d span%s exports of %d records per service in %.1f s%n",
            PreEncoded.VARIANTS, logs ? " and log" : "", batch, (System.nanoTime() - encodeStart) / 1e9);
      }
      List<Ingest> ingests = new ArrayList<>();
      Map<Size, List<Timing>> timings = new LinkedHashMap<>();
      List<String> liveNotes = new ArrayList<>();
      long stored = 0;
      for (long checkpoint : checkpoints) {
        try (LiveProbe live = new LiveProbe(http, api)) {
          ingests.add(ingest(collector, "spans", otlpPort + "/v1/traces", stored, checkpoint, batch, senders,
              (r, first, count) -> {
                if (spanBodies != null) {
                  PreEncoded.Body body = spanBodies.body(r, first, count, total, windowStart);
                  String failed = body.firstErrorTraceId();
                  if (failed != null) {
                    live.sent(failed);
                  }
                  return body.bytes();
                }
                ExportTraceServiceRequest request = batch(r, first, count, total, windowStart);
                noteFirstError(request, live);
                return request.toByteArray();
              }));
          Thread.sleep(1_000); // the last batches' events are still on their way
          liveNotes.add(String.format(Locale.ROOT, "Live, during the spans phase to %,d: %s.", checkpoint + seed,
              live.summary()));
          System.out.println(liveNotes.get(liveNotes.size() - 1));
        }
        if (logs) {
          ingests.add(ingest(collector, "logs", otlpPort + "/v1/logs", stored, checkpoint, batch, senders,
              (r, first, count) -> logBodies != null ? logBodies.body(r, first, count, total, windowStart).bytes()
                  : logBatch(r, first, count, total, windowStart).toByteArray()));
        }
        stored = checkpoint;
        timings.put(new Size(checkpoint + seed, false), queries(http, api, windowStart, repeat, logs));
      }
      long during = Long.parseLong(Procs.env("QUERY_DURING_INGEST", "0"));
      if (during > 0) {
        // the last size's queries again, while as many more spans as asked are being ingested
        long from = stored;
        List<Ingest> background = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failed = Collections.synchronizedList(new ArrayList<>());
        Thread sending = new Thread(() -> {
          try {
            background.add(ingest(collector, "spans (while queries ran)", otlpPort + "/v1/traces", from,
                from + during, batch, senders, (r, first, count) -> spanBodies != null
                    ? spanBodies.body(r, first, count, total, windowStart).bytes()
                    : batch(r, first, count, total, windowStart).toByteArray()));
          } catch (Exception e) {
            failed.add(e);
          }
        }, "ingest-during-queries");
        sending.start();
        Thread.sleep(3_000); // under way
        timings.put(new Size(stored + seed, true), queries(http, api, windowStart, repeat, logs));
        boolean overlapped = sending.isAlive();
        sending.join();
        if (!failed.isEmpty()) {
          throw new IllegalStateException("ingest during the queries failed", failed.get(0));
        }
        ingests.addAll(background);
        if (!overlapped) {
          System.out.println("note: the ingest ended before the queries did; raise QUERY_DURING_INGEST");
        }
      }
      String md = (seed > 0 ? String.format(Locale.ROOT, "Seeded before ingest: %,d requests and %,d log records"
          + " written straight into SQLite (same distributions, older than the ingested hour, ids in time order)."
          + "%n%n", seed, logs ? seed : 0) : "") + markdown(ingests, timings, batch, senders, retention, dirSize(dataDir),
          repeat) + String.join("\n\n", liveNotes) + "\n";
      Files.writeString(results.resolve("collector.json"), json(ingests, timings, batch, senders, retention,
          dirSize(dataDir)));
      Files.writeString(results.resolve("collector.md"), md);
      System.out.println();
      System.out.println(md);
    } finally {
      Procs.stop(collector, 20);
      if (!Procs.env("KEEP_DB", "0").equals("1")) {
        Procs.deleteTree(dataDir);
      }
    }
  }

  /** Tells the live probe about the batch's first failed request (the probe subscribes to 5xx only). */
  private static void noteFirstError(ExportTraceServiceRequest request, LiveProbe live) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            live.sent(HexFormat.of().formatHex(span.getTraceId().toByteArray()));
            return;
          }
        }
      }
    }
  }

  /** CHECKPOINTS when given, else 1,000,000 (when ROWS is larger) and ROWS: queries are timed at each. */
  private static List<Long> checkpoints(String given, long rows) {
    List<Long> out = new ArrayList<>();
    if (!given.isBlank()) {
      for (String s : given.split(",")) {
        out.add(Long.parseLong(s.trim()));
      }
    } else {
      if (rows > 1_000_000) {
        out.add(1_000_000L);
      }
      out.add(rows);
    }
    Collections.sort(out);
    return out;
  }

  /** Posts records [from, to) from SENDERS threads; a record counts once its batch got a 2xx (after the commit). */
  private static Ingest ingest(Process collector, String signal, String portAndPath, long from,
      long to, int batch, int senders, BodyMaker maker) throws Exception {
    AtomicLong next = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    long batches = (to - from + batch - 1) / batch;
    URI uri = URI.create("http://127.0.0.1:" + portAndPath);
    long self = ProcessHandle.current().pid();
    long cpu0 = Procs.cpuMicros(collector.pid());
    long selfCpu0 = Procs.cpuMicros(self);
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int s = 0; s < senders; s++) {
      final int seed = s;
      Thread t = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(42 + seed + from);
        // one kept-alive connection per sender, as each agent has (PlainHttp: the JDK client cost ~5 µs a span)
        try (PlainHttp connection = new PlainHttp(uri.getHost(), uri.getPort())) {
          long b;
          while ((b = next.getAndIncrement()) < batches) {
            long first = from + b * batch;
            int count = (int) Math.min(batch, to - first);
            byte[] body = maker.make(random, first, count);
            while (true) {
              PlainHttp.Response response = connection.post(uri.getPath(), "application/x-protobuf", body);
              if (response.status() / 100 == 2) {
                acked.addAndGet(count);
                bytes.addAndGet(body.length);
                break;
              }
              rejected.incrementAndGet();
              if (response.status() != 429 && response.status() != 503) {
                throw new IllegalStateException("collector answered " + response.status() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
              }
              Thread.sleep(100);
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "sender-" + s);
      t.start();
      threads.add(t);
    }
    long lastReport = System.nanoTime();
    long lastAcked = 0;
    while (threads.stream().anyMatch(Thread::isAlive)) {
      Thread.sleep(200);
      if (System.nanoTime() - lastReport >= 5_000_000_000L) {
        long a = acked.get();
        double rate = (a - lastAcked) / ((System.nanoTime() - lastReport) / 1e9);
        System.out.printf(Locale.ROOT, "  %s: %,d acknowledged (%,d stored in all), %,.0f/s over the last 5 s%n",
            signal, a, from + a, rate);
        lastAcked = a;
        lastReport = System.nanoTime();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long cpu = Procs.cpuMicros(collector.pid()) - cpu0;
    long selfCpu = Procs.cpuMicros(self) - selfCpu0;
    if (!failures.isEmpty()) {
      throw new IllegalStateException("ingest failed", failures.get(0));
    }
    Ingest result = new Ingest(signal, acked.get(), seconds, bytes.get(), rejected.get(), cpu, selfCpu);
    System.out.printf(Locale.ROOT, "ingest %s %,d..%,d: %,.0f/s over %.1f s, collector CPU %.1f µs per record,"
        + " load generator CPU %.1f µs per record, %d retried batches%n", signal, from, to, result.perSecond(),
        seconds, result.cpuMicrosPerRecord(), result.generatorMicrosPerRecord(), rejected.get());
    return result;
  }

  /** Times every query at the current size: request filters, then log search. */
  private static List<Timing> queries(HttpClient http, String api, long windowStart, int repeat, boolean logs)
      throws Exception {
    long mid = windowStart + 1_800_000L;
    Map<String, String> requests = new LinkedHashMap<>();
    requests.put("newest page (limit 50)", "limit=50");
    requests.put("service=checkout", "service=checkout&limit=50");
    requests.put("status=5xx", "status=5xx&limit=50");
    requests.put("status=404 & service=search", "status=404&service=search&limit=50");
    requests.put("method=POST & path=/api/payments/*", "method=POST&path=" + enc("/api/payments/*") + "&limit=50");
    requests.put("path=regex:^/api/users/[0-9]+/profile$", "path=" + enc("regex:^/api/users/[0-9]+/profile$")
        + "&limit=50");
    requests.put("minDurationMs=2000", "minDurationMs=2000&limit=50");
    requests.put("minDurationMs=20", "minDurationMs=20&limit=50");
    requests.put("from/to 1-minute window mid-table", "from=" + mid + "&to=" + (mid + 60_000) + "&limit=50");
    requests.put("q=timeout (no match)", "q=timeout&limit=50");
    requests.put("q=capture", "q=capture&limit=50");
    requests.put("q=sort=price", "q=" + enc("sort=price") + "&limit=50");
    requests.put("service=payments, page 3 (cursor)", "service=payments&limit=50");
    List<Timing> out = new ArrayList<>();
    for (Map.Entry<String, String> q : requests.entrySet()) {
      out.add(time(http, api, "/api/requests", q.getKey(), q.getValue(), repeat));
    }
    // one request's detail (its logs, exceptions and I/O too), found by a trace id from mid-table
    Matcher traceId = Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"").matcher(
        get(http, api + "/api/requests?from=" + mid + "&to=" + (mid + 60_000) + "&limit=1").body());
    if (traceId.find()) {
      out.add(time(http, api, "/api/requests/" + traceId.group(1), "detail by trace id (mid-table)", "", repeat));
    }
    if (logs) {
      Map<String, String> logQueries = new LinkedHashMap<>();
      logQueries.put("newest page (limit 50)", "limit=50");
      logQueries.put("q=declined (common word)", "q=declined&limit=50");
      logQueries.put("q=kerfuffle (rare word)", "q=kerfuffle&limit=50");
      logQueries.put("q=upstream timeout (two words)", "q=" + enc("upstream timeout") + "&limit=50");
      logQueries.put("q=missing (no match)", "q=missingword&limit=50");
      logQueries.put("level=ERROR & service=payments", "level=ERROR&service=payments&limit=50");
      logQueries.put("q=declined & service=checkout", "q=declined&service=checkout&limit=50");
      for (Map.Entry<String, String> q : logQueries.entrySet()) {
        out.add(time(http, api, "/api/logs", q.getKey(), q.getValue(), repeat));
      }
    }
    return out;
  }

  private static Timing time(HttpClient http, String api, String route, String name, String query, int repeat)
      throws Exception {
    String url = api + route + (query.isEmpty() ? "" : "?" + query);
    if (name.contains("cursor")) {
      String cursor = null;
      for (int page = 0; page < 2; page++) {
        String body = get(http, cursor == null ? url : url + "&cursor=" + enc(cursor)).body();
        cursor = cursor(body);
        if (cursor == null) {
          break;
        }
      }
      if (cursor != null) {
        url = url + "&cursor=" + enc(cursor);
      }
    }
    for (int i = 0; i < 3; i++) {
      get(http, url);
    }
    List<Double> millis = new ArrayList<>();
    int status = 0;
    int items = 0;
    for (int i = 0; i < repeat; i++) {
      long s = System.nanoTime();
      HttpResponse<String> r = get(http, url);
      millis.add((System.nanoTime() - s) / 1e6);
      status = r.statusCode();
      items = query.isEmpty() ? (r.statusCode() == 200 ? 1 : 0) : countItems(r.body());
    }
    Collections.sort(millis);
    Timing t = new Timing(route.startsWith("/api/requests/") ? "/api/requests/{traceId}" : route, name, query, items, pct(millis, 0.50), pct(millis, 0.95), pct(millis, 0.99),
        millis.get(millis.size() - 1), status);
    System.out.printf(Locale.ROOT, "  %s %s: %d items, p50 %.1f ms, p95 %.1f ms%n", route, name, items, t.p50(), t.p95());
    return t;
  }

  /** Nearest-rank percentile of sorted values. */
  private static double pct(List<Double> sorted, double p) {
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p) - 1)));
  }

  private static String markdown(List<Ingest> ingests, Map<Size, List<Timing>> timings, int batch, int senders,
      String retention, long dbBytes, int repeat) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "OTLP/HTTP protobuf batches of %d from %d sender threads; retention `%s`"
        + " active (the retention worker's passes run throughout); database %,.0f MiB on disk at the end.%n%n", batch,
        senders, retention, dbBytes / 1048576.0));
    md.append("| ingest phase | records | seconds | records/s | collector CPU per record | load generator CPU per record"
        + " | retried batches |\n|---|---|---|---|---|---|---|\n");
    for (Ingest i : ingests) {
      md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | **%,.0f** | %.1f µs | %.1f µs | %d |%n", i.signal(),
          i.records(), i.seconds(), i.perSecond(), i.cpuMicrosPerRecord(), i.generatorMicrosPerRecord(), i.retried()));
    }
    for (Map.Entry<Size, List<Timing>> e : timings.entrySet()) {
      md.append(String.format(Locale.ROOT, "%nQueries with %,d requests and %,d log records stored%s, %d sequential"
          + " requests each after 3 warm-ups:%n%n", e.getKey().rows(), e.getKey().rows(), e.getKey().duringIngest()
          ? " while spans were being ingested (from " + senders + " senders)" : "", repeat));
      md.append("| query | items | p50 | p95 | p99 | max | status |\n|---|---|---|---|---|---|---|\n");
      for (Timing t : e.getValue()) {
        md.append(String.format(Locale.ROOT, "| `%s` %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d |%n", t.api(),
            t.name(), t.items(), t.p50(), t.p95(), t.p99(), t.max(), t.status()));
      }
    }
    md.append("\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(Procs.cpuModel()).append("; the load generator and the collector share them.\n");
    return md.toString();
  }

  private static String json(List<Ingest> ingests, Map<Size, List<Timing>> timings, int batch, int senders,
      String retention, long dbBytes) {
    StringBuilder json = new StringBuilder();
    json.append(String.format(Locale.ROOT, "{%n  \"date\": %s,%n  \"nproc\": %d,%n  \"cpu\": %s,%n  \"jdk\": %s,%n"
        + "  \"batch\": %d,%n  \"senders\": %d,%n  \"retention\": %s,%n  \"dbBytes\": %d,%n  \"ingest\": [",
        Report.q(java.time.Instant.now().toString()), Runtime.getRuntime().availableProcessors(),
        Report.q(Procs.cpuModel()), Report.q(System.getProperty("java.vm.name") + " "
            + System.getProperty("java.runtime.version")), batch, senders, Report.q(retention), dbBytes));
    String sep = "";
    for (Ingest i : ingests) {
      json.append(sep).append(String.format(Locale.ROOT, "%n    {\"signal\": %s, \"records\": %d, \"seconds\": %.2f,"
          + " \"perSecond\": %.0f, \"protobufBytes\": %d, \"collectorCpuMicrosPerRecord\": %.2f, \"generatorCpuMicrosPerRecord\": %.2f,"
          + " \"retriedBatches\": %d}", Report.q(i.signal()), i.records(), i.seconds(), i.perSecond(), i.bytes(),
          i.cpuMicrosPerRecord(), i.generatorMicrosPerRecord(), i.retried()));
      sep = ",";
    }
    json.append("\n  ],\n  \"queries\": [");
    sep = "";
    for (Map.Entry<Size, List<Timing>> e : timings.entrySet()) {
      for (Timing t : e.getValue()) {
        json.append(sep).append(String.format(Locale.ROOT, "%n    {\"rows\": %d, \"duringIngest\": %b, \"api\": %s,"
            + " \"name\": %s, \"query\": %s, \"items\": %d, \"p50ms\": %.2f, \"p95ms\": %.2f, \"p99ms\": %.2f,"
            + " \"maxMs\": %.2f, \"status\": %d}", e.getKey().rows(), e.getKey().duringIngest(), Report.q(t.api()),
            Report.q(t.name()), Report.q(t.query()), t.items(),
            t.p50(), t.p95(), t.p99(), t.max(), t.status()));
        sep = ",";
      }
    }
    json.append("\n  ]\n}\n");
    return json.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
  /** Every item of both APIs carries a spanId field (null for logs outside a span, still present). */
  private static final Pattern TRACE_ID = Pattern.compile("\"spanId\"");

  private static String cursor(String body) {
    Matcher m = CURSOR.matcher(body);
    return m.find() ? m.group(1) : null;
  }

  private static int countItems(String body) {
    Matcher m = TRACE_ID.matcher(body);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static long dirSize(Path dir) {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue kv(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  /**
   * A trace id as Lookout's agent makes them: the epoch second in the first 4 bytes, random after
   * (so the collector's time-window lookup by trace id is exercised as in production).
   */
  private static ByteString traceId(SplittableRandom random, long epochMillis) {
    byte[] b = new byte[16];
    int seconds = (int) (epochMillis / 1000);
    b[0] = (byte) (seconds >>> 24);
    b[1] = (byte) (seconds >>> 16);
    b[2] = (byte) (seconds >>> 8);
    b[3] = (byte) seconds;
    long r1 = random.nextLong();
    long r2 = random.nextLong();
    for (int i = 0; i < 8; i++) {
      b[4 + i] = (byte) (r1 >>> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
      b[12 + i] = (byte) (r2 >>> (8 * i));
    }
    return ByteString.copyFrom(b);
  }

  private static ByteString spanId(SplittableRandom random) {
    long r = random.nextLong();
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (r >>> (8 * i));
    }
    return ByteString.copyFrom(b);
  }

  private static final String[] LOG_TEMPLATES = {"Order %d placed", "Cache miss for product %d",
      "Payment declined for order %d: insufficient funds", "Inventory reserved for order %d",
      "Search for term %d returned results", "Session %d refreshed", "Shipping label %d printed",
      "Slow call to upstream took %d ms"};
  private static final String[] LOGGERS = {"dev.example.shop.OrderService", "dev.example.shop.CatalogCache",
      "dev.example.shop.PaymentClient", "dev.example.shop.Inventory", "dev.example.shop.SearchController"};

  /**
   * One logs export: one service's records (one agent's export) over the same hour as the spans,
   * 80 % INFO, 12 % WARN, 5 % ERROR (those with an exception stack), 3 % DEBUG; one in 10,000
   * mentions "kerfuffle". Shaped
   * as the agent's OtlpEncoder sends them: one scope per logger name (no logger attribute), the
   * thread as an attribute, time and observed time, the span's ids with the sampled flag, and an
   * exception as {@code exception.*} attributes with {@code lookout.exception.source}.
   */
  static ExportLogsServiceRequest logBatch(SplittableRandom random, long firstIndex, int count, long total,
      long windowStart) {
    Map<String, Map<String, ScopeLogs.Builder>> byService = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      long index = firstIndex + i;
      String service = exportService(firstIndex);
      long millis = windowStart + index * 3_600_000L / total;
      int roll = random.nextInt(100);
      SeverityNumber severity = roll < 80 ? SeverityNumber.SEVERITY_NUMBER_INFO
          : roll < 92 ? SeverityNumber.SEVERITY_NUMBER_WARN
          : roll < 97 ? SeverityNumber.SEVERITY_NUMBER_ERROR : SeverityNumber.SEVERITY_NUMBER_DEBUG;
      int t = random.nextInt(LOG_TEMPLATES.length);
      String message = LOG_TEMPLATES[t].replace("%d", Integer.toString(random.nextInt(1_000_000)));
      if (random.nextInt(10_000) == 0) {
        message = message + " (kerfuffle in the retry logic)";
      }
      long nanos = millis * 1_000_000L;
      LogRecord.Builder r = LogRecord.newBuilder()
          .setTimeUnixNano(nanos)
          .setObservedTimeUnixNano(nanos)
          .setSeverityNumber(severity)
          .setSeverityText(severity.name().substring("SEVERITY_NUMBER_".length()))
          .setBody(AnyValue.newBuilder().setStringValue(message))
          .addAttributes(kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200)));
      if (severity == SeverityNumber.SEVERITY_NUMBER_ERROR) {
        r.addAttributes(kv("exception.type", "java.net.SocketTimeoutException"))
            .addAttributes(kv("exception.stacktrace", "java.net.SocketTimeoutException: Read timed out\n"
                + "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
                + "\tat dev.example.shop.PaymentClient.capture(PaymentClient.java:88)\n"))
            .addAttributes(kv("exception.message", "Read timed out after 2000 ms (upstream timeout)"))
            .addAttributes(kv("lookout.exception.source", "log"));
      }
      r.setFlags(1).setTraceId(traceId(random, millis)).setSpanId(spanId(random));
      byService.computeIfAbsent(service, s -> new LinkedHashMap<>())
          .computeIfAbsent(LOGGERS[t % LOGGERS.length], logger -> ScopeLogs.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(logger))).addLogRecords(r);
    }
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (Map.Entry<String, Map<String, ScopeLogs.Builder>> e : byService.entrySet()) {
      ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder().setResource(resource(e.getKey()));
      e.getValue().values().forEach(resourceLogs::addScopeLogs);
      request.addResourceLogs(resourceLogs);
    }
    return request.build();
  }

  /** The resource the agent sends: the SDK's defaults merged with its own service attributes. */
  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(kv("service.name", service))
        .addAttributes(kv("telemetry.sdk.language", "java")).addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
        .addAttributes(kv("telemetry.sdk.version", "1.49.0"))
        .addAttributes(kv("service.instance.id", java.util.UUID.nameUUIDFromBytes(service.getBytes(
            StandardCharsets.UTF_8)).toString()))
        .addAttributes(kv("telemetry.distro.name", "lookout")).build();
  }

  /**
   * The service of the export starting at record {@code firstIndex}: an agent exports its own
   * service's records only (one resource per request), so each export is one of 8 agents'.
   */
  private static String exportService(long firstIndex) {
    return SERVICES[exportServiceIndex(firstIndex)];
  }

  static int exportServiceIndex(long firstIndex) {
    return Math.floorMod(Long.hashCode(firstIndex * 0x9E3779B97F4A7C15L), SERVICES.length);
  }

  static int serviceCount() {
    return SERVICES.length;
  }

  /** One export request, as one agent sends it: one service (resource) and one scope. */
  static ExportTraceServiceRequest batch(SplittableRandom random, long firstIndex, int count, long total,
      long windowStart) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      long index = firstIndex + i;
      String service = exportService(firstIndex);
      int p = random.nextInt(PATHS.length);
      String path = PATHS[p].replace("%d", Integer.toString(random.nextInt(100_000)));
      int roll = random.nextInt(1000);
      String method = p == 7 || roll < 150 ? "POST" : roll < 170 ? "DELETE" : "GET";
      int status = roll < 20 ? 500 : roll < 25 ? 503 : roll < 75 ? 404 : 200;
      // log-normal-ish durations: most a few ms, a tail to seconds
      double durationMs = Math.exp(random.nextGaussian() * 1.3 + 2.0);
      long startMillis = windowStart + index * 3_600_000L / total;
      long start = startMillis * 1_000_000L + random.nextInt(1_000_000);
      long end = start + (long) (durationMs * 1_000_000L);
      // the attributes in the order and form of the agent's OtlpEncoder: zero counts left out, the
      // request's socket traffic on every request that had some (which is nearly every one)
      Span.Builder span = Span.newBuilder()
          .setTraceId(traceId(random, startMillis))
          .setSpanId(spanId(random))
          .setName(method + " " + ROUTES[p])
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(end)
          .addAttributes(kv("http.request.method", method))
          .addAttributes(kv("url.path", path))
          .addAttributes(kv("url.scheme", "http"))
          .addAttributes(kv("server.address", service + ".internal"))
          .addAttributes(kv("server.port", 8080))
          .addAttributes(kv("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)));
      if (random.nextInt(4) == 0) {
        span.addAttributes(kv("url.query", "page=" + random.nextInt(50) + "&sort=price"));
      }
      span.addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench/1.0"))
          .addAttributes(kv("http.route", ROUTES[p]))
          .addAttributes(kv("http.response.status_code", status));
      if (status >= 500) {
        span.addAttributes(kv("error.type", roll % 2 == 0 ? "java.net.SocketTimeoutException" : "500"));
      }
      int logCount = random.nextInt(4);
      if (logCount > 0) {
        span.addAttributes(kv("lookout.log_count", logCount));
      }
      if (status >= 500) {
        span.addAttributes(kv("lookout.exception_count", 1));
      }
      span.addAttributes(kv("lookout.io.socket.bytes_in", 200 + random.nextInt(600)))
          .addAttributes(kv("lookout.io.socket.bytes_out", 150 + random.nextInt(4000)))
          .addAttributes(kv("lookout.io.socket.calls", 2 + random.nextInt(3)))
          .addAttributes(kv("lookout.io.socket.nanos", 20_000 + random.nextInt(200_000)));
      if (status >= 500) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(end)
            .addAttributes(kv("exception.type", "java.net.SocketTimeoutException"))
            .addAttributes(kv("exception.stacktrace", "java.net.SocketTimeoutException: Read timed out\n"
                + "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
                + "\tat dev.example.shop.PaymentClient.capture(PaymentClient.java:88)\n"
                + "\tat dev.example.shop.CheckoutServlet.doPost(CheckoutServlet.java:41)\n"))
            .addAttributes(kv("exception.message", "Read timed out after 2000 ms (upstream timeout)")));
      }
      span.setFlags(0x101); // sampled, parent known to be local: as the agent sets them on a root span
      byService.computeIfAbsent(service, s -> ScopeSpans.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName("dev.lookout.agent"))).addSpans(span);
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, ScopeSpans.Builder> e : byService.entrySet()) {
      request.addResourceSpans(ResourceSpans.newBuilder().setResource(resource(e.getKey())).addScopeSpans(e.getValue()));
    }
    return request.build();
  }
}
