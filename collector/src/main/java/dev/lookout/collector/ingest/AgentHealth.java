package dev.lookout.collector.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What agents report about themselves: the records each instance had to drop, as the cumulative
 * totals its metrics carry (so the latest report of an instance replaces the previous one).
 */
public final class AgentHealth {

  private final Map<String, Long> droppedByInstance = new ConcurrentHashMap<>();

  public void report(String instance, long droppedTotal) {
    droppedByInstance.merge(instance, droppedTotal, Math::max);
  }

  public long dropped() {
    return droppedByInstance.values().stream().mapToLong(Long::longValue).sum();
  }
}
