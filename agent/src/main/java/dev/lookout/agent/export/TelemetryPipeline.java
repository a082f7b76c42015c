package dev.lookout.agent.export;

import dev.lookout.protocol.ResourceAttributes;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.embedded.EmbeddedCollector;
import dev.lookout.protocol.Embedding;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.sdk.common.internal.StandardComponentId.ExporterType;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's way out: application threads hand flat records to the {@link RecordExporter}, whose one
 * thread encodes them into OTLP protobuf and sends them through the OpenTelemetry SDK's OTLP/HTTP
 * exporter (JDK HttpClient sender, retries, timeouts); the SDK's meter provider carries the agent's
 * health metrics. A full buffer drops records,
 * it never blocks the app.
 */
public final class TelemetryPipeline {

  /** Kept strongly so the level set below is not lost when the logger is collected. */
  private static final Logger SDK_LOGGER = Logger.getLogger("dev.lookout.shaded.otel");

  /** Short, so a request shows up live within a fraction of a second. */
  static final long EXPORT_DELAY_MILLIS = 200;

  /**
   * Spans and log records per OTLP request. Under load the queue reaches it long before the delay:
   * larger batches mean fewer HTTP requests and collector transactions per record.
   */
  static final int EXPORT_BATCH = 2048;

  /**
   * The bytes at which a request is sent before it has {@link #EXPORT_BATCH} records (~600 request
   * spans with the default headers): its array then stays under G1's 512 KiB humongous bound (see
   * {@code ProtoWriter.ensure}), and so does the socket's cached direct buffer for it.
   */
  static final int EXPORT_BATCH_BYTES = 384 * 1024;

  /**
   * The embedded collector starts once the application served its first request, or this long after
   * the pipeline: an application that serves nothing yet still gets its UI.
   */
  static final long EMBEDDED_START_LATEST_MILLIS = 20_000;

  /** How often agent health (drops, queue depth) is reported. */
  static final Duration METRICS_INTERVAL = Duration.ofSeconds(10);
  /** The longest the agent holds the application's exit: the flush (2 s) and the health metrics (1 s). */
  public static final long SHUTDOWN_MILLIS = 3_500;

  private final RecordExporter records;
  private final SdkMeterProvider meterProvider;
  /** The collector in this JVM, when embedded: closed last, after the final flush reached it. */
  private final EmbeddedCollector embedded;

  /** The http:// senders, or null (https, embedded): their retries stop when the application exits. */
  private final PlainHttp plain;

  private TelemetryPipeline(RecordExporter records, SdkMeterProvider meterProvider, EmbeddedCollector embedded,
      PlainHttp plain) {
    this.records = records;
    this.meterProvider = meterProvider;
    this.embedded = embedded;
    this.plain = plain;
  }

  /**
   * {@link #start} with every thread the pipeline creates marked as the agent's own (exporter,
   * HTTP client, PSK tunnel): their socket I/O is never counted as the application's.
   */
  public static TelemetryPipeline startAsAgent(AgentConfig config) throws java.io.IOException {
    IoHooks.markAgentThreads(true);
    try {
      return start(config);
    } finally {
      IoHooks.markAgentThreads(false);
    }
  }

  public static TelemetryPipeline start(AgentConfig config) throws java.io.IOException {
    // The SDK reports export failures through JUL; they must not land on the application's console.
    SDK_LOGGER.setUseParentHandlers(config.debug());
    SDK_LOGGER.setLevel(config.debug() ? Level.INFO : Level.OFF);

    java.nio.file.Path embeddedJar = config.embeddedJar();
    EmbeddedCollector embedded = null;
    OtlpTransport spans;
    OtlpTransport logRecords;
    MetricExporter metrics;
    CollectorHealth collectorHealth;
    PlainHttp plain = null;
    if (embeddedJar != null) {
      embedded = EmbeddedCollector.prepare(embeddedJar, config.embeddedArgs());
      spans = OtlpTransport.inProcess(embedded, Embedding.TRACES);
      logRecords = OtlpTransport.inProcess(embedded, Embedding.LOGS);
      metrics = new InProcess.Metrics(embedded);
      collectorHealth = new CollectorHealth("embedded (" + embeddedJar + ")");
    } else {
      String base = config.collectorUrl();
      if (base.startsWith("psk://")) {
        base = new PskTunnel(base.substring("psk://".length()), config.pskIdentity(), config.pskKey()).localUrl();
      }
      HttpExporterBuilder traces = new HttpExporterBuilder(ExporterType.OTLP_HTTP_SPAN_EXPORTER, base + "/v1/traces")
          .setTimeout(Duration.ofSeconds(10));
      HttpExporterBuilder logs = new HttpExporterBuilder(ExporterType.OTLP_HTTP_LOG_EXPORTER, base + "/v1/logs")
          .setTimeout(Duration.ofSeconds(10));
      OtlpHttpMetricExporterBuilder metricExporter = OtlpHttpMetricExporter.builder()
          .setEndpoint(base + "/v1/metrics")
          .setTimeout(Duration.ofSeconds(10));
      if (base.startsWith("http://")) {
        plain = new PlainHttp();
        traces.setComponentLoader(plain);
        logs.setComponentLoader(plain);
        metricExporter.setComponentLoader(plain);
      }
      if (config.gzip()) {
        GzipCompressor gzip = new GzipCompressor();
        traces.setCompression(gzip);
        logs.setCompression(gzip);
        metricExporter.setCompression("gzip");
      }
      String token = config.collectorToken();
      if (token != null) {
        traces.addConstantHeaders("Authorization", "Bearer " + token);
        logs.addConstantHeaders("Authorization", "Bearer " + token);
        metricExporter.addHeader("Authorization", "Bearer " + token);
      }
      spans = OtlpTransport.http(traces.setMeterProvider(MeterProvider::noop).build());
      logRecords = OtlpTransport.http(logs.setMeterProvider(MeterProvider::noop).build());
      metrics = metricExporter.build();
      collectorHealth = new CollectorHealth(config.collectorDisplay());
    }
    Resource resource = resource(config);
    SdkMeterProvider meters = SdkMeterProvider.builder()
        .setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(
            new WatchedMetricExporter(metrics, collectorHealth)).setInterval(METRICS_INTERVAL).build())
        .build();
    Meter health = meters.get("dev.lookout.agent");
    ExportFailures failures = new ExportFailures(health, collectorHealth);
    Redactor redactor = new Redactor(config.redactHeaders(), config.redactParams());
    RecordExporter records = RecordExporter.create(
        failures.counting(spans, "traces"), failures.counting(logRecords, "logs"),
        resource.getAttributes(), redactor, config.bufferMax(), config.bufferBytes(), health, config.sampleRatio());
    records.start();
    if (embedded != null) {
      embedded.startAfter(records.firstSpan(), EMBEDDED_START_LATEST_MILLIS);
    }
    // Flushed at exit by the agent's shutdown hook (AgentInstaller), registered before the pipeline exists.
    return new TelemetryPipeline(records, meters, embedded, plain);
  }

  static Resource resource(AgentConfig config) {
    AttributesBuilder attributes = Attributes.builder();
    for (Map.Entry<String, String> e : config.resourceAttributes().entrySet()) {
      attributes.put(e.getKey(), e.getValue());
    }
    attributes.put(ResourceAttributes.SERVICE_NAME, config.serviceName());
    // One per JVM: the collector sums cumulative health counters per instance.
    // A random (type 4) UUID without SecureRandom, whose seeding costs startup time for nothing here.
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    attributes.put(ResourceAttributes.SERVICE_INSTANCE_ID, new java.util.UUID(high, low).toString());
    attributes.put("telemetry.distro.name", "lookout");
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  /** Where spans and log records go. */
  public RecordExporter sink() {
    return records;
  }

  /** A meter whose instruments are exported with the agent's health metrics. */
  public Meter meter(String scope) {
    return meterProvider.get(scope);
  }

  /**
   * {@link #shutdown} on a daemon thread, waited for at most {@code millis}: the senders block while
   * they send and retry, so a collector that is down or does not answer would otherwise hold the
   * application's exit for as long as its retries take.
   */
  public void shutdownWithin(long millis) {
    runWithin(this::shutdown, "lookout-flush", millis);
  }

  /** Runs {@code work} on a daemon thread and waits for it at most {@code millis}; true if it finished. */
  static boolean runWithin(Runnable work, String name, long millis) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.start();
    try {
      t.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !t.isAlive();
  }

  /** Flushes what is queued, bounded so a dead collector cannot hold the JVM's exit. */
  public void shutdown() {
    if (plain != null) {
      plain.stopRetrying(); // the last batches get one attempt each: a dead collector does not hold the exit
    }
    records.flushAndStop(2_000);
    meterProvider.shutdown().join(1, TimeUnit.SECONDS);
    if (embedded != null) {
      try {
        embedded.close();
      } catch (Exception e) {
        dev.lookout.agent.config.Voice.say("warning: the embedded collector did not close cleanly: " + e);
      }
    }
  }
}
