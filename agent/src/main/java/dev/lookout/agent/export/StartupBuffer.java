package dev.lookout.agent.export;

import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * Where records go while the application starts and the export pipeline does not exist yet. Building
 * the pipeline (the SDK's meter provider, the OTLP senders, the encoder: ~450 classes) costs the
 * application's start ~0.25 s of CPU on one core, so it is built once the application served its
 * first request, or after a while ({@code AgentInstaller}); what was recorded before waits here,
 * within the same bounds as the exporter's buffer (count and bytes; beyond them dropped and counted),
 * and is handed over in order. After the {@link #handOver}, everything passes straight through:
 * records a request took from here before it come back here.
 */
public final class StartupBuffer implements RecordSink {

  private final BufferBudget budget;
  private final MpscAtomicArrayQueue<Object> queue;
  private final long clockAnchor = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
  private final CountDownLatch firstSpan = new CountDownLatch(1);
  /** Set once the latch was counted down: later submits skip it (read racily; a repeat is harmless). */
  private boolean firstSpanSeen;
  private final AtomicLong droppedSpans = new AtomicLong();
  private final AtomicLong droppedLogs = new AtomicLong();
  private volatile RecordExporter next;

  public StartupBuffer(long maxRecords, long maxBytes) {
    this.budget = new BufferBudget(maxRecords, maxBytes);
    // Sized by the count bound, like the exporter's queue (16K slots for the default 10,000 records).
    this.queue = new MpscAtomicArrayQueue<>((int) Math.max(16, Math.min(maxRecords, 1 << 20)));
  }

  /** Waits until the first request record arrived, or at most {@code millis}; true if it arrived. */
  public boolean awaitFirstSpan(long millis) throws InterruptedException {
    return firstSpan.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Ends any wait for the first request: the pipeline is wanted now (the application is exiting). */
  public void startNow() {
    firstSpan.countDown();
  }

  /**
   * Passes what waited here to {@code exporter}, in the order it came, with the number dropped
   * meanwhile, and everything that comes later straight on.
   */
  public void handOver(RecordExporter exporter) {
    next = exporter;
    drainTo(exporter);
    exporter.countDropped(droppedSpans.getAndSet(0), droppedLogs.getAndSet(0));
  }

  /** One consumer at a time: the hand-over, or a submitter that raced with it. */
  private synchronized void drainTo(RecordExporter exporter) {
    Object r;
    while ((r = queue.relaxedPoll()) != null) {
      if (r instanceof SpanRecord) {
        SpanRecord span = (SpanRecord) r;
        budget.give(1, span.size);
        exporter.submit(span);
      } else {
        LogEventRecord log = (LogEventRecord) r;
        budget.give(1, log.size);
        exporter.submit(log);
      }
    }
  }

  @Override
  public SpanRecord span() {
    RecordExporter e = next;
    if (e != null) {
      return e.span();
    }
    SpanRecord r = new SpanRecord();
    r.reset();
    return r;
  }

  @Override
  public LogEventRecord log() {
    RecordExporter e = next;
    return e != null ? e.log() : new LogEventRecord();
  }

  @Override
  public void submit(SpanRecord r) {
    if (!firstSpanSeen) {
      firstSpanSeen = true;
      firstSpan.countDown();
    }
    RecordExporter e = next;
    if (e != null) {
      e.submit(r);
    } else {
      hold(r, r.size = r.estimateSize(), droppedSpans);
    }
  }

  @Override
  public void submit(LogEventRecord r) {
    RecordExporter e = next;
    if (e == null) {
      hold(r, r.size = r.estimateSize(), droppedLogs);
    } else {
      e.submit(r);
    }
  }

  /** Keeps a record for the hand-over, or counts it dropped when the bounds are reached. */
  private void hold(Object record, long size, AtomicLong dropped) {
    if (!budget.take(size)) {
      dropped.incrementAndGet();
      return;
    }
    if (!queue.offer(record)) {
      budget.give(1, size);
      dropped.incrementAndGet();
      return;
    }
    RecordExporter e = next;
    if (e != null) {
      drainTo(e); // the hand-over happened meanwhile and may have missed this record
    }
  }

  @Override
  public void discard(SpanRecord r) {
    RecordExporter e = next;
    if (e != null) {
      e.discard(r);
    }
  }

  @Override
  public long epochNanos() {
    RecordExporter e = next;
    return e != null ? e.epochNanos() : clockAnchor + System.nanoTime();
  }
}
