package dev.lookout.agent.export;

import dev.lookout.protocol.AgentMetrics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent holds for the collector, spans and log records together: at most
 * {@code lookout.buffer.max} records (SPEC) and {@code lookout.buffer.bytes} of them. A record is
 * counted from the moment it is submitted until its export is answered, whether or not the export
 * succeeded; one over either bound is dropped before it is queued.
 *
 * <p>Why bytes too: a record's size varies a hundredfold. Requests that throw carry their stack
 * traces, and while the collector was behind, the queues held ~100 MB of them on the bench app's
 * exception endpoint; they lived long enough to be promoted and G1 grew the heap for them.
 */
final class BufferBudget {

  static final String DROPPED = AgentMetrics.BUFFER_DROPPED;

  private final long maxRecords;
  private final long maxBytes;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  BufferBudget(long maxRecords, long maxBytes) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
  }

  /** Takes room for one record of {@code size} bytes, or answers false when either bound is reached. */
  boolean take(long size) {
    // a full buffer drops every record: read before taking, so that a drop changes no shared line
    if (records.get() >= maxRecords || bytes.get() > maxBytes - size) {
      return false;
    }
    if (records.incrementAndGet() > maxRecords) {
      records.decrementAndGet();
      return false;
    }
    if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      records.decrementAndGet();
      return false;
    }
    return true;
  }

  void give(long count, long size) {
    records.addAndGet(-count);
    bytes.addAndGet(-size);
  }

  long maxRecords() {
    return maxRecords;
  }

  long records() {
    return records.get();
  }

  long bytes() {
    return bytes.get();
  }
}
