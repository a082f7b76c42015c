package dev.lookout.collector.api;

import java.util.concurrent.atomic.AtomicLong;

/** What agents report about themselves (events they had to drop), as received over OTLP metrics. */
public final class AgentHealth {

  private final AtomicLong dropped = new AtomicLong();

  public void addDropped(long n) {
    dropped.addAndGet(n);
  }

  public long dropped() {
    return dropped.get();
  }
}
