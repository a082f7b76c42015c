package dev.lookout.agent.support;

import dev.lookout.agent.export.RecordExporter;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/**
 * The agent's real record exporter, with the SDK's in-memory exporters where the OTLP ones would be:
 * what a test reads back is exactly what the OTLP encoder would be handed.
 */
public final class Exported {

  public final InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
  public final InMemoryLogRecordExporter logExporter = InMemoryLogRecordExporter.create();
  public final RecordExporter sink;

  public Exported() {
    this(new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS), 1.0);
  }

  public Exported(Redactor redactor, double sampleRatio) {
    sink = RecordExporter.create(spanExporter, logExporter, Resource.getDefault(), redactor, 10_000, 16 << 20,
        MeterProvider.noop().get("test"), sampleRatio);
  }

  /** Everything submitted so far, exported and read back. */
  public List<SpanData> spans() {
    sink.exportNow(5_000);
    return spanExporter.getFinishedSpanItems();
  }

  public List<LogRecordData> logs() {
    sink.exportNow(5_000);
    return logExporter.getFinishedLogRecordItems();
  }
}
