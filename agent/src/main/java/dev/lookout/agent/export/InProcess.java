package dev.lookout.agent.export;

import dev.lookout.agent.embedded.EmbeddedCollector;
import dev.lookout.protocol.Embedding;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;

/** The agent's three signals handed to the embedded collector in this JVM (see {@link EmbeddedCollector}). */
final class InProcess {

  /** How long the export thread waits for a collector that is still starting. */
  static final long STARTUP_WAIT_SECONDS = 60;

  private InProcess() {}

  static CompletableResultCode send(EmbeddedCollector collector, String signal, byte[] request) {
    try {
      int status = collector.ingest(signal, request, STARTUP_WAIT_SECONDS);
      return status / 100 == 2 ? CompletableResultCode.ofSuccess()
          : CompletableResultCode.ofExceptionalFailure(new IOException("embedded collector answered " + status));
    } catch (Exception e) {
      return CompletableResultCode.ofExceptionalFailure(e);
    }
  }

  /** The agent's health metrics, encoded by the SDK's OTLP marshaler, for the embedded collector. */
  static final class Metrics implements MetricExporter {
    private final EmbeddedCollector collector;

    Metrics(EmbeddedCollector collector) {
      this.collector = collector;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        MetricsRequestMarshaler.create(metrics).writeBinaryTo(out);
      } catch (IOException e) {
        return CompletableResultCode.ofExceptionalFailure(e);
      }
      return send(collector, Embedding.METRICS, out.toByteArray());
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE; // as the OTLP exporter sends them
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
