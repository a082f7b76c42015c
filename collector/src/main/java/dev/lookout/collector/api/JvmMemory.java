package dev.lookout.collector.api;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The collector's own heap on {@code /metrics}: used now, and live after the last collection (the
 * figure that shows a leak: it climbs run after run while "used" only saws up and down).
 */
final class JvmMemory {

  private JvmMemory() {}

  static void appendMetrics(StringBuilder out) {
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long afterGc = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (collected != null) {
        afterGc += collected.getUsed();
      }
    }
    gauge(out, "lookout_jvm_heap_used_bytes", "Heap in use now", heap.getUsed());
    gauge(out, "lookout_jvm_heap_max_bytes", "Largest heap the JVM may use", heap.getMax());
    gauge(out, "lookout_jvm_heap_after_gc_bytes", "Heap still in use after the last garbage collection", afterGc);
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" gauge\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
