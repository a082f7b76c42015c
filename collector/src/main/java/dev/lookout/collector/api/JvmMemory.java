package dev.lookout.collector.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** The collector's own heap on {@code /metrics}, for watching it over a long run. */
final class JvmMemory {

  private JvmMemory() {}

  static void appendMetrics(StringBuilder out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    PrometheusText.metric(out, "lookout_jvm_heap_used_bytes", "gauge", "Heap in use now (garbage included)",
        heap.getUsed());
    PrometheusText.metric(out, "lookout_jvm_heap_committed_bytes", "gauge", "Heap the JVM holds from the system",
        heap.getCommitted());
    PrometheusText.metric(out, "lookout_jvm_heap_max_bytes", "gauge", "Largest heap the JVM may use", heap.getMax());
  }
}
