package dev.lookout.collector.ingest;

import dev.lookout.protocol.AgentMetrics;
import dev.lookout.protocol.ResourceAttributes;
import dev.lookout.protocol.SpanAttributes;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/**
 * Reads agent health out of OTLP metrics: what each SDK instance dropped (its batch processors'
 * {@code processedSpans}/{@code processedLogs} with {@code dropped=true}, the newer
 * {@code otel.sdk.processor.*.processed} with an {@code error.type}, and Lookout's own
 * {@code lookout.agent.export.failed} and {@code lookout.agent.buffer.dropped}). The counters are
 * cumulative, so the latest value per instance is the instance's total. Other metrics are accepted
 * and not stored.
 */
final class MetricsMapper {

  private MetricsMapper() {}

  static void read(ExportMetricsServiceRequest export, AgentHealth health) {
    for (ResourceMetrics rm : export.getResourceMetricsList()) {
      Attributes resource = Attributes.of(rm.getResource().getAttributesList());
      String instance = Attributes.serviceName(rm.getResource()) + "/"
          + (resource.text(ResourceAttributes.SERVICE_INSTANCE_ID) == null ? "" : resource.text(ResourceAttributes.SERVICE_INSTANCE_ID));
      long dropped = 0;
      boolean reported = false;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          if (!m.hasSum() || !isDropCounter(m.getName())) {
            continue;
          }
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            Attributes a = Attributes.of(p.getAttributesList());
            boolean lost = m.getName().startsWith(AgentMetrics.PREFIX) || a.flag("dropped")
                || a.text("error.type") != null;
            if (lost) {
              dropped += p.hasAsInt() ? p.getAsInt() : (long) p.getAsDouble();
            }
            reported = true;
          }
        }
      }
      if (reported) {
        health.report(instance, dropped);
      }
    }
  }

  private static boolean isDropCounter(String name) {
    return name.equals("processedSpans") || name.equals("processedLogs") || name.equals(AgentMetrics.EXPORT_FAILED)
        || name.equals(AgentMetrics.BUFFER_DROPPED)
        || name.equals("otel.sdk.processor.span.processed") || name.equals("otel.sdk.processor.log.processed");
  }
}
