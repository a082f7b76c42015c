package dev.lookout.agent.export;

import dev.lookout.protocol.AgentMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;

/**
 * Counts what the exporters could not deliver even after their retries ({@code lookout.agent.export.failed},
 * by signal). With the buffer's drops ({@code lookout.agent.buffer.dropped}) this is everything the
 * agent lost, and it reaches the collector as cumulative metrics, so a collector that was away
 * learns the total when it is back.
 */
final class ExportFailures {

  static final String METRIC = AgentMetrics.EXPORT_FAILED;
  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");

  private final LongCounter failed;
  private final CollectorHealth health;

  ExportFailures(Meter meter) {
    this(meter, null);
  }

  /** The same, every answer also told to {@code health} (the agent's warnings on stderr). */
  ExportFailures(Meter meter, CollectorHealth health) {
    this.health = health;
    this.failed = meter.counterBuilder(METRIC).setUnit("{record}")
        .setDescription("Records the agent could not deliver to the collector").build();
  }

  /** The transport, with the records of each failed request counted under {@code signal}. */
  OtlpTransport counting(OtlpTransport transport, String signal) {
    Attributes attributes = Attributes.of(SIGNAL, signal);
    return (request, records) -> {
      CompletableResultCode result = transport.send(request, records);
      result.whenComplete(() -> {
        if (!result.isSuccess()) {
          failed.add(records, attributes);
        }
        if (health != null) {
          health.answered(result);
        }
      });
      return result;
    };
  }
}
