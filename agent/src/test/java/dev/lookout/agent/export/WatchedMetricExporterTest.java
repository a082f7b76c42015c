package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchedMetricExporterTest {

  @Test
  void metricExportsTellTheHealthToo() {
    List<String> lines = new ArrayList<>();
    CollectorHealth health = new CollectorHealth("http://c:1", lines::add, System::nanoTime);
    CompletableResultCode[] next = {CompletableResultCode.ofFailure()};
    MetricExporter fake = new MetricExporter() {
      @Override public CompletableResultCode export(Collection<MetricData> metrics) { return next[0]; }
      @Override public CompletableResultCode flush() { return CompletableResultCode.ofSuccess(); }
      @Override public CompletableResultCode shutdown() { return CompletableResultCode.ofSuccess(); }
      @Override public AggregationTemporality getAggregationTemporality(InstrumentType t) {
        return AggregationTemporality.CUMULATIVE;
      }
    };
    WatchedMetricExporter watched = new WatchedMetricExporter(fake, health);
    assertThat(watched.export(List.of()).isSuccess()).isFalse();
    next[0] = CompletableResultCode.ofSuccess();
    assertThat(watched.export(List.of()).isSuccess()).isTrue();
    assertThat(watched.getAggregationTemporality(InstrumentType.COUNTER)).isEqualTo(AggregationTemporality.CUMULATIVE);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("warning: cannot export to collector http://c:1");
    assertThat(lines.get(1)).contains("reachable again");
  }
}
