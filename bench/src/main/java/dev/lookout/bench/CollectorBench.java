package dev.lookout.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
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
 * lookout-collector process on a fresh data directory, posts OTLP/HTTP protobuf batches of BATCH
 * (512) server spans from SENDERS (2) threads until ROWS (1,000,000) spans were acknowledged, then
 * times filtered {@code /api/requests} pages. Writes bench/results/collector.json and collector.md.
 */
public final class CollectorBench {

  private static final String[] SERVICES = {"checkout", "catalog", "payments", "search", "accounts", "shipping",
      "inventory", "gateway"};
  private static final String[] PATHS = {"/api/orders/%d", "/api/products/%d", "/api/cart", "/api/search",
      "/api/users/%d/profile", "/health", "/static/app.js", "/api/payments/%d/capture"};
  private static final String[] ROUTES = {"/api/orders/{id}", "/api/products/{id}", "/api/cart", "/api/search",
      "/api/users/{id}/profile", "/health", "/static/*", "/api/payments/{id}/capture"};

  public static void main(String[] args) throws Exception {
    Path root = Path.of(Procs.env("LOOKOUT_ROOT", ".")).toAbsolutePath().normalize();
    long rows = Long.parseLong(Procs.env("ROWS", "1000000"));
    int senders = Procs.envInt("SENDERS", 2);
    int batch = Procs.envInt("BATCH", 512);
    int repeat = Procs.envInt("QUERY_REPEAT", 30);
    Path results = root.resolve(Procs.env("RESULTS_DIR", "bench/results"));
    Path work = root.resolve("bench/target/run");
    Files.createDirectories(work);
    Files.createDirectories(results);
    Path jar = root.resolve("collector/target/lookout-collector.jar");
    Path dataDir = Files.createTempDirectory(work, "collector-bench-");
    int apiPort = Procs.freePort();
    int otlpPort = Procs.freePort();
    Process collector = new ProcessBuilder("java", "-jar", jar.toString(), "--no-auth", "--port",
        Integer.toString(apiPort), "--otlp-port", Integer.toString(otlpPort), "--data-dir", dataDir.toString())
        .redirectErrorStream(true).redirectOutput(work.resolve("collector-bench.log").toFile()).start();
    try {
      String api = "http://127.0.0.1:" + apiPort;
      Procs.awaitOk(api + "/healthz", collector, 60_000, 50);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();

      // ---- ingest
      long now = System.currentTimeMillis();
      long windowStart = now - 3_600_000L; // rows spread over the last hour, in arrival order
      AtomicLong next = new AtomicLong();
      AtomicLong acked = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      AtomicLong bytes = new AtomicLong();
      long batches = (rows + batch - 1) / batch;
      long t0 = System.nanoTime();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      for (int s = 0; s < senders; s++) {
        final int seed = s;
        Thread t = new Thread(() -> {
          SplittableRandom random = new SplittableRandom(42 + seed);
          try {
            long b;
            while ((b = next.getAndIncrement()) < batches) {
              int count = (int) Math.min(batch, rows - b * batch);
              byte[] body = batch(random, b * batch, count, rows, windowStart).toByteArray();
              HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + otlpPort + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf").timeout(Duration.ofSeconds(60))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
              while (true) {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() / 100 == 2) {
                  acked.addAndGet(count);
                  bytes.addAndGet(body.length);
                  break;
                }
                rejected.incrementAndGet();
                if (response.statusCode() != 429 && response.statusCode() != 503) {
                  throw new IllegalStateException("collector answered " + response.statusCode() + ": "
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
      List<Double> windowRates = new ArrayList<>();
      while (threads.stream().anyMatch(Thread::isAlive)) {
        Thread.sleep(200);
        if (System.nanoTime() - lastReport >= 5_000_000_000L) {
          long a = acked.get();
          double rate = (a - lastAcked) / ((System.nanoTime() - lastReport) / 1e9);
          windowRates.add(rate);
          System.out.printf(Locale.ROOT, "  %,d spans acknowledged, %,.0f spans/s over the last 5 s%n", a, rate);
          lastAcked = a;
          lastReport = System.nanoTime();
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (!failures.isEmpty()) {
        throw new IllegalStateException("ingest failed", failures.get(0));
      }
      double ingestRate = acked.get() / seconds;
      System.out.printf(Locale.ROOT, "ingest: %,d spans in %.1f s = %,.0f spans/s (%,.0f protobuf bytes/s), %d retried"
          + " batches%n", acked.get(), seconds, ingestRate, bytes.get() / seconds, rejected.get());

      // ---- queries
      long mid = windowStart + 1_800_000L;
      Map<String, String> queries = new LinkedHashMap<>();
      queries.put("newest page (limit 50)", "limit=50");
      queries.put("service=checkout", "service=checkout&limit=50");
      queries.put("status=5xx", "status=5xx&limit=50");
      queries.put("status=404 & service=search", "status=404&service=search&limit=50");
      queries.put("method=POST & path=/api/payments/*", "method=POST&path=" + enc("/api/payments/*") + "&limit=50");
      queries.put("path=regex:^/api/users/[0-9]+/profile$", "path=" + enc("regex:^/api/users/[0-9]+/profile$") + "&limit=50");
      queries.put("minDurationMs=2000", "minDurationMs=2000&limit=50");
      queries.put("from/to 1-minute window mid-table", "from=" + mid + "&to=" + (mid + 60_000) + "&limit=50");
      queries.put("q=timeout (text)", "q=timeout&limit=50");
      queries.put("service=payments, page 3 (cursor)", "service=payments&limit=50");
      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT, "Ingest: %,d spans (OTLP/HTTP protobuf, batches of %d, %d sender threads)"
          + " in %.1f s = **%,.0f spans/s**; %d batches retried; database %s MiB on disk.%n%n", acked.get(), batch,
          senders, seconds, ingestRate, rejected.get(), String.format(Locale.ROOT, "%.0f", dirSize(dataDir) / 1048576.0)));
      md.append(String.format(Locale.ROOT, "Query latency at %,d rows, %d sequential requests each after 3 warm-ups:%n%n",
          acked.get(), repeat));
      md.append("| /api/requests query | items | p50 | p99 | max | status |\n|---|---|---|---|---|---|\n");
      StringBuilder json = new StringBuilder();
      json.append(String.format(Locale.ROOT, "{%n  \"date\": %s,%n  \"nproc\": %d,%n  \"cpu\": %s,%n  \"jdk\": %s,%n"
          + "  \"rows\": %d,%n  \"batch\": %d,%n  \"senders\": %d,%n  \"ingestSeconds\": %.2f,%n  \"ingestSpansPerSecond\": %.0f,%n"
          + "  \"retriedBatches\": %d,%n  \"dbBytes\": %d,%n  \"queries\": [", Report.q(java.time.Instant.now().toString()),
          Runtime.getRuntime().availableProcessors(), Report.q(Procs.cpuModel()),
          Report.q(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")), acked.get(), batch,
          senders, seconds, ingestRate, rejected.get(), dirSize(dataDir)));
      String sep = "";
      for (Map.Entry<String, String> q : queries.entrySet()) {
        String url = api + "/api/requests?" + q.getValue();
        if (q.getKey().contains("cursor")) {
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
          items = countItems(r.body());
        }
        Collections.sort(millis);
        double p50 = millis.get(millis.size() / 2);
        double p99 = millis.get(Math.min(millis.size() - 1, (int) Math.ceil(millis.size() * 0.99) - 1));
        double max = millis.get(millis.size() - 1);
        md.append(String.format(Locale.ROOT, "| `%s` | %d | %.1f ms | %.1f ms | %.1f ms | %d |%n", q.getKey(), items, p50,
            p99, max, status));
        json.append(sep).append(String.format(Locale.ROOT, "%n    {\"name\": %s, \"query\": %s, \"items\": %d,"
            + " \"p50ms\": %.2f, \"p99ms\": %.2f, \"maxMs\": %.2f, \"status\": %d}", Report.q(q.getKey()),
            Report.q(q.getValue()), items, p50, p99, max, status));
        sep = ",";
      }
      json.append("\n  ]\n}\n");
      md.append("\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
          .append(Procs.cpuModel()).append("; the load generator and the collector share them.\n");
      Files.writeString(results.resolve("collector.json"), json);
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

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TRACE_ID = Pattern.compile("\"traceId\"");

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

  private static byte[] randomBytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** One export request: the batch's spans grouped by service (one ResourceSpans per service). */
  static ExportTraceServiceRequest batch(SplittableRandom random, long firstIndex, int count, long total,
      long windowStart) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      long index = firstIndex + i;
      String service = SERVICES[random.nextInt(SERVICES.length)];
      int p = random.nextInt(PATHS.length);
      String path = String.format(Locale.ROOT, PATHS[p], random.nextInt(100_000));
      int roll = random.nextInt(1000);
      String method = p == 7 || roll < 150 ? "POST" : roll < 170 ? "DELETE" : "GET";
      int status = roll < 20 ? 500 : roll < 25 ? 503 : roll < 75 ? 404 : 200;
      // log-normal-ish durations: most a few ms, a tail to seconds
      double durationMs = Math.exp(random.nextGaussian() * 1.3 + 2.0);
      long start = (windowStart + index * 3_600_000L / total) * 1_000_000L + random.nextInt(1_000_000);
      long end = start + (long) (durationMs * 1_000_000L);
      Span.Builder span = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(randomBytes(random, 16)))
          .setSpanId(ByteString.copyFrom(randomBytes(random, 8)))
          .setName(method + " " + ROUTES[p])
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start)
          .setEndTimeUnixNano(end)
          .addAttributes(kv("http.request.method", method))
          .addAttributes(kv("url.path", path))
          .addAttributes(kv("url.scheme", "http"))
          .addAttributes(kv("http.route", ROUTES[p]))
          .addAttributes(kv("server.address", service + ".internal"))
          .addAttributes(kv("server.port", 8080))
          .addAttributes(kv("client.address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)))
          .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) bench/1.0"))
          .addAttributes(kv("http.response.status_code", status))
          .addAttributes(kv("lookout.log_count", random.nextInt(4)))
          .addAttributes(kv("lookout.exception_count", status >= 500 ? 1 : 0));
      if (random.nextInt(4) == 0) {
        span.addAttributes(kv("url.query", "page=" + random.nextInt(50) + "&sort=price"));
      }
      if (status >= 500) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        span.addAttributes(kv("error.type", roll % 2 == 0 ? "java.net.SocketTimeoutException" : "500"));
        span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(end)
            .addAttributes(kv("exception.type", "java.net.SocketTimeoutException"))
            .addAttributes(kv("exception.message", "Read timed out after 2000 ms (upstream timeout)"))
            .addAttributes(kv("exception.stacktrace", "java.net.SocketTimeoutException: Read timed out\n"
                + "\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)\n"
                + "\tat dev.example.shop.PaymentClient.capture(PaymentClient.java:88)\n"
                + "\tat dev.example.shop.CheckoutServlet.doPost(CheckoutServlet.java:41)\n")));
      }
      byService.computeIfAbsent(service, s -> ScopeSpans.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName("dev.lookout.agent"))).addSpans(span);
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, ScopeSpans.Builder> e : byService.entrySet()) {
      request.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(kv("service.name", e.getKey()))
              .addAttributes(kv("telemetry.sdk.language", "java")).addAttributes(kv("telemetry.distro.name", "lookout")))
          .addScopeSpans(e.getValue()));
    }
    return request.build();
  }
}
