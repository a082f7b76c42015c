package dev.lookout.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Counts what the exporters could not deliver even after their retries ({@code lookout.agent.export.failed},
 * by signal). With the batch processors' own {@code processedSpans}/{@code processedLogs}
 * {@code dropped=true} counters this is everything the agent lost, and it reaches the collector as
 * cumulative metrics, so a collector that was away learns the total when it is back.
 */
final class ExportFailures {

  static final String METRIC = "lookout.agent.export.failed";
  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");

  private final LongCounter failed;

  ExportFailures(Meter meter) {
    this.failed = meter.counterBuilder(METRIC).setUnit("{record}")
        .setDescription("Records the agent could not deliver to the collector").build();
  }

  SpanExporter counting(SpanExporter exporter) {
    Attributes signal = Attributes.of(SIGNAL, "traces");
    return WatchedExporters.spans(exporter, (batch, answer) -> count(answer, batch.size(), signal));
  }

  LogRecordExporter counting(LogRecordExporter exporter) {
    Attributes signal = Attributes.of(SIGNAL, "logs");
    return WatchedExporters.logs(exporter, (batch, answer) -> count(answer, batch.size(), signal));
  }

  private void count(CompletableResultCode result, int records, Attributes signal) {
    result.whenComplete(() -> {
      if (!result.isSuccess()) {
        failed.add(records, signal);
      }
    });
  }
}
