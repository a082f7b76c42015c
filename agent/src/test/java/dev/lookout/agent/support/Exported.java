package dev.lookout.agent.support;

import dev.lookout.agent.export.OtlpTransport;
import dev.lookout.agent.export.RecordExporter;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's real record exporter with a transport that keeps the encoded OTLP requests: what a
 * test reads back is exactly what the collector would receive, decoded with the OTLP schema.
 */
public final class Exported {

  public final List<byte[]> spanRequests = new ArrayList<>();
  public final List<byte[]> logRequests = new ArrayList<>();
  public final RecordExporter sink;

  public Exported() {
    this(new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS), 1.0);
  }

  public Exported(Redactor redactor, double sampleRatio) {
    OtlpTransport spans = (buffer, length, records) -> keep(spanRequests, java.util.Arrays.copyOf(buffer, length));
    OtlpTransport logs = (buffer, length, records) -> keep(logRequests, java.util.Arrays.copyOf(buffer, length));
    sink = RecordExporter.create(spans, logs, Attributes.empty(), redactor, 10_000, 16 << 20,
        MeterProvider.noop().get("test"), sampleRatio);
  }

  private static synchronized CompletableResultCode keep(List<byte[]> into, byte[] request) {
    into.add(request);
    return CompletableResultCode.ofSuccess();
  }

  /** Forgets what was exported so far (after exporting what was queued). */
  public synchronized void reset() {
    sink.exportNow(5_000);
    spanRequests.clear();
    logRequests.clear();
  }

  /** Everything submitted so far, exported and read back. */
  public synchronized List<SpanData> spans() {
    sink.exportNow(5_000);
    List<SpanData> out = new ArrayList<>();
    for (byte[] r : spanRequests) {
      out.addAll(Otlp.spans(r));
    }
    return out;
  }

  public synchronized List<LogRecordData> logs() {
    sink.exportNow(5_000);
    List<LogRecordData> out = new ArrayList<>();
    for (byte[] r : logRequests) {
      out.addAll(Otlp.logs(r));
    }
    return out;
  }
}
