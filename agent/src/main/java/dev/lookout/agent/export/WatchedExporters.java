package dev.lookout.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/** Exporters that tell a watcher of each batch they were given and of the answer to come. */
final class WatchedExporters {

  /** Told as a batch goes out; {@code answer} completes when the collector answered or the export gave up. */
  interface Watcher<T> {
    void exporting(Collection<T> batch, CompletableResultCode answer);
  }

  private WatchedExporters() {}

  static SpanExporter spans(SpanExporter exporter, Watcher<SpanData> watcher) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode answer = exporter.export(spans);
        watcher.exporting(spans, answer);
        return answer;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }

  static LogRecordExporter logs(LogRecordExporter exporter, Watcher<LogRecordData> watcher) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        CompletableResultCode answer = exporter.export(logs);
        watcher.exporting(logs, answer);
        return answer;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }
}
