package dev.lookout.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import org.junit.jupiter.api.Test;

/** The lookout.io.* metrics as the real SDK aggregates them from unit summaries. */
class IoMetricsTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final IoMetrics metrics = new IoMetrics(
      SdkMeterProvider.builder().registerMetricReader(reader).build().get("test"));

  @Test
  void bytesByPathFallbacksByReasonAndCandidates() {
    IoTally t = new IoTally();
    t.add(row("transferTo", "sendfile", "zero-copy", "moved by the kernel (sendfile)", "socket", 2, 65536, 65536, 0));
    t.add(row("transferTo", "mmap", "fallback", "no direct transfer to a pipe target", "pipe", 1, 4096, 0, 4096));
    t.add(row("transferTo", "user-copy", "tls-blocked", IoRecorder.JSSE, "tls", 3, 3000, 0, 3000));
    t.add(row("transferTo", "user-copy", "fallback", "target x.Y is not a JDK file, socket or pipe channel", "other",
        1, 100, 0, 100));
    IoTally.Row loop = new IoTally.Row("app.Files.serve:12", "copy-loop", "user-copy", "candidate",
        IoRecorder.CANDIDATE_REASON, "file", "socket");
    loop.calls = 1;
    loop.bytes = 8000;
    loop.copiedBytes = 8000;
    t.add(loop);
    long[] delta = new long[dev.lookout.agent.bootstrap.IoHooks.SLOTS];
    delta[dev.lookout.agent.bootstrap.IoHooks.IN] = 10;
    delta[dev.lookout.agent.bootstrap.IoHooks.OUT] = 9000;
    delta[dev.lookout.agent.bootstrap.IoHooks.CALLS] = 5;
    delta[dev.lookout.agent.bootstrap.IoHooks.FILE] = 8000;
    metrics.record(IoRecorder.summarize(t.drain(), delta));

    Collection<MetricData> all = reader.collectAllMetrics();
    assertThat(sum(all, IoMetrics.ZERO_COPY_BYTES, "mechanism", "sendfile")).isEqualTo(65536);
    assertThat(sum(all, IoMetrics.FALLBACKS, "reason", "mapped")).isEqualTo(1);
    assertThat(sum(all, IoMetrics.FALLBACKS, "reason", "tls")).isEqualTo(3);
    assertThat(sum(all, IoMetrics.FALLBACKS, "reason", "foreign-channel")).isEqualTo(1);
    assertThat(sum(all, IoMetrics.COPIED_BYTES, "verdict", "tls-blocked")).isEqualTo(3000);
    // 8000 file bytes the bridge matched to plain socket writes: a copy loop
    assertThat(sum(all, IoMetrics.COPIED_BYTES, "kind", "copy-loop")).isEqualTo(8000);
    assertThat(sum(all, IoMetrics.CANDIDATES, null, null)).isEqualTo(1);
    assertThat(sum(all, IoMetrics.SOCKET_BYTES, "direction", "out")).isEqualTo(9000);
    assertThat(sum(all, IoMetrics.SOCKET_BYTES, "direction", "in")).isEqualTo(10);
  }

  private static IoTally.Row row(String kind, String mechanism, String verdict, String reason, String target,
      long calls, long bytes, long zero, long copied) {
    IoTally.Row r = new IoTally.Row("app.Files.send:7", kind, mechanism, verdict, reason, "file", target);
    r.calls = calls;
    r.bytes = bytes;
    r.zeroCopyBytes = zero;
    r.copiedBytes = copied;
    return r;
  }

  /** The sum over the points of {@code metric} whose attribute {@code key} is {@code value} (null: all). */
  private static long sum(Collection<MetricData> all, String metric, String key, String value) {
    long n = 0;
    for (MetricData m : all) {
      if (!m.getName().equals(metric)) {
        continue;
      }
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (key == null || value.equals(p.getAttributes().get(AttributeKey.stringKey(key)))) {
          n += p.getValue();
        }
      }
    }
    return n;
  }
}
