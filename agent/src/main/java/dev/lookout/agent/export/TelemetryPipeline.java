package dev.lookout.agent.export;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.config.AgentConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenTelemetry SDK as the agent uses it: a bounded batch queue toward the collector over
 * OTLP/HTTP protobuf (JDK HttpClient sender). A full queue drops spans, it never blocks the app.
 */
public final class TelemetryPipeline {

  /** Kept strongly so the level set below is not lost when the logger is collected. */
  private static final Logger SDK_LOGGER = Logger.getLogger("dev.lookout.shaded.otel");

  /** Short, so a request shows up live within a fraction of a second. */
  static final Duration EXPORT_DELAY = Duration.ofMillis(200);

  /**
   * Spans and log records per OTLP request. Under load the queue reaches it long before the delay:
   * larger batches mean fewer HTTP requests and collector transactions per record.
   */
  static final int EXPORT_BATCH = 2048;

  /** How often agent health (drops, queue depth) is reported. */
  static final Duration METRICS_INTERVAL = Duration.ofSeconds(10);

  private final SdkTracerProvider tracerProvider;
  private final SdkLoggerProvider loggerProvider;
  private final SdkMeterProvider meterProvider;

  private TelemetryPipeline(SdkTracerProvider tracerProvider, SdkLoggerProvider loggerProvider,
      SdkMeterProvider meterProvider) {
    this.tracerProvider = tracerProvider;
    this.loggerProvider = loggerProvider;
    this.meterProvider = meterProvider;
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

    String base = config.collectorUrl();
    if (base.startsWith("psk://")) {
      base = new PskTunnel(base.substring("psk://".length()), config.pskIdentity(), config.pskKey()).localUrl();
    }
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(base + "/v1/traces")
        .setTimeout(Duration.ofSeconds(10));
    OtlpHttpLogRecordExporterBuilder logExporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(base + "/v1/logs")
        .setTimeout(Duration.ofSeconds(10));
    OtlpHttpMetricExporterBuilder metricExporter = OtlpHttpMetricExporter.builder()
        .setEndpoint(base + "/v1/metrics")
        .setTimeout(Duration.ofSeconds(10));
    String token = config.collectorToken();
    if (token != null) {
      exporter.addHeader("Authorization", "Bearer " + token);
      logExporter.addHeader("Authorization", "Bearer " + token);
      metricExporter.addHeader("Authorization", "Bearer " + token);
    }
    Resource resource = resource(config);
    SdkMeterProvider meters = SdkMeterProvider.builder()
        .setResource(resource)
        .registerMetricReader(PeriodicMetricReader.builder(metricExporter.build()).setInterval(METRICS_INTERVAL).build())
        .build();
    ExportFailures failures = new ExportFailures(meters.get("dev.lookout.agent"));
    BufferBudget budget = new BufferBudget(config.bufferMax(), config.bufferBytes(), meters.get("dev.lookout.agent"));
    // Each batch processor has room for the whole shared count, so only the budget ever drops.
    int queue = config.bufferMax();
    SpanProcessor batches = budget.spans(BatchSpanProcessor.builder(budget.spans(failures.counting(exporter.build())))
        .setMeterProvider(meters)
        .setScheduleDelay(EXPORT_DELAY)
        .setMaxQueueSize(queue)
        .setMaxExportBatchSize(Math.min(EXPORT_BATCH, queue))
        .build());
    if (config.sampleRatio() < 1.0) {
      batches = new SamplingSpanProcessor(batches, config.sampleRatio());
    }
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        .setIdGenerator(new TimeOrderedIds())
        .addSpanProcessor(batches)
        .build();
    SdkLoggerProvider logs = SdkLoggerProvider.builder()
        .setResource(resource)
        .addLogRecordProcessor(budget.logs(BatchLogRecordProcessor.builder(budget.logs(failures.counting(
                logExporter.build())))
            .setMeterProvider(meters)
            .setScheduleDelay(EXPORT_DELAY)
            .setMaxQueueSize(queue)
            .setMaxExportBatchSize(Math.min(EXPORT_BATCH, queue))
            .build()))
        .build();
    TelemetryPipeline pipeline = new TelemetryPipeline(provider, logs, meters);
    Thread flush = new Thread(pipeline::shutdown, "lookout-shutdown");
    Runtime.getRuntime().addShutdownHook(flush);
    return pipeline;
  }

  static Resource resource(AgentConfig config) {
    AttributesBuilder attributes = Attributes.builder();
    for (Map.Entry<String, String> e : config.resourceAttributes().entrySet()) {
      attributes.put(e.getKey(), e.getValue());
    }
    attributes.put("service.name", config.serviceName());
    // One per JVM: the collector sums cumulative health counters per instance.
    attributes.put("service.instance.id", java.util.UUID.randomUUID().toString());
    attributes.put("telemetry.distro.name", "lookout");
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  public Tracer tracer() {
    return tracerProvider.get("dev.lookout.agent");
  }

  /** A meter whose instruments are exported with the agent's health metrics. */
  public Meter meter(String scope) {
    return meterProvider.get(scope);
  }

  public LoggerProvider loggerProvider() {
    return loggerProvider;
  }

  /** Flushes what is queued, bounded so a dead collector cannot hold the JVM's exit. */
  public void shutdown() {
    io.opentelemetry.sdk.common.CompletableResultCode.ofAll(java.util.List.of(
        tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown())).join(3, TimeUnit.SECONDS);
  }
}
