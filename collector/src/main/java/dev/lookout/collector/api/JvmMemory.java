package dev.lookout.collector.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/** The collector's own heap on {@code /metrics}, for watching it over a long run. */
final class JvmMemory {

  private JvmMemory() {}

  static void appendMetrics(StringBuilder out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    gauge(out, "lookout_jvm_heap_used_bytes", "Heap in use now (garbage included)", heap.getUsed());
    gauge(out, "lookout_jvm_heap_committed_bytes", "Heap the JVM holds from the system", heap.getCommitted());
    gauge(out, "lookout_jvm_heap_max_bytes", "Largest heap the JVM may use", heap.getMax());
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
