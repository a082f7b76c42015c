package dev.lookout.agent.export;

import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpmcAtomicArrayQueue;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The hand-off from application threads to the one export thread, and that thread.
 *
 * <p>Application threads take a record from a pool, fill it, and {@link #submit} it: a bounded
 * lock-free queue (JCTools, made for multi-producer single-consumer hand-off) takes it, or, when the
 * buffer is full by count or bytes ({@link BufferBudget}), the record is dropped and counted. Nothing
 * here blocks, allocates on the hot path once the pools are warm, or wakes another thread: the
 * export thread looks for work on its own, every few milliseconds when idle.
 *
 * <p>The export thread encodes records straight into OTLP protobuf ({@link OtlpEncoder}, redacting on
 * the way), gives them back to their pools, and hands the requests to the OTLP/HTTP transport: at
 * {@link #batchSize} records, or {@link #delayNanos} after the oldest waiting one.
 */
public final class RecordExporter implements RecordSink {

  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  private static final Attributes TRACES = Attributes.of(SIGNAL, "traces");
  private static final Attributes LOGS = Attributes.of(SIGNAL, "logs");
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  private static final long EXPORT_TIMEOUT_SECONDS = 10;

  private final MpscAtomicArrayQueue<Object> queue;
  /**
   * Records given back, as many as the buffer can hold: once the pools are warm, a record is never
   * made anew, so recording allocates nothing but the request's handle.
   */
  private final MpmcAtomicArrayQueue<SpanRecord> spanPool;
  private final MpmcAtomicArrayQueue<LogEventRecord> logPool;
  private final BufferBudget budget;
  private final LongCounter dropped;
  private final OtlpTransport spanTransport;
  private final OtlpTransport logTransport;
  private final OtlpEncoder encoder;
  private final long sampleBound;
  private final int batchSize;
  private final long delayNanos;
  private volatile long clockAnchor;
  private volatile boolean stopping;
  private Thread thread;
  /** The answers of exports still in flight (the export thread's own). */
  private CompletableResultCode lastSpans = CompletableResultCode.ofSuccess();
  private CompletableResultCode lastLogs = CompletableResultCode.ofSuccess();

  /**
   * An exporter of records toward {@code spans} and {@code logs}, holding at most {@code maxRecords}
   * records and {@code maxBytes} bytes, keeping {@code sampleRatio} of the requests (errors always).
   * Its thread runs once {@link #start} was called; until then {@link #exportNow} exports.
   */
  public static RecordExporter create(OtlpTransport spans, OtlpTransport logs, Attributes resource,
      Redactor redactor, long maxRecords, long maxBytes, Meter meter, double sampleRatio) {
    return new RecordExporter(spans, logs, new OtlpEncoder(resource, "dev.lookout.agent", redactor),
        new BufferBudget(maxRecords, maxBytes), meter, sampleRatio, TelemetryPipeline.EXPORT_BATCH,
        TelemetryPipeline.EXPORT_DELAY_MILLIS);
  }

  private RecordExporter(OtlpTransport spanTransport, OtlpTransport logTransport, OtlpEncoder encoder,
      BufferBudget budget, Meter meter, double sampleRatio, int batchSize, long delayMillis) {
    this.spanTransport = spanTransport;
    this.logTransport = logTransport;
    this.encoder = encoder;
    this.budget = budget;
    int capacity = (int) Math.max(16, Math.min(budget.maxRecords(), 1 << 20));
    this.queue = new MpscAtomicArrayQueue<>(capacity);
    this.spanPool = new MpmcAtomicArrayQueue<>(capacity + batchSize);
    this.logPool = new MpmcAtomicArrayQueue<>(capacity + batchSize);
    this.dropped = meter.counterBuilder(BufferBudget.DROPPED).setUnit("{record}")
        .setDescription("Records dropped because the agent's buffer toward the collector was full").build();
    meter.gaugeBuilder("lookout.agent.queue.size").ofLongs().setUnit("{record}")
        .setDescription("Records waiting for export").buildWithCallback(m -> m.record(queue.size()));
    this.sampleBound = sampleRatio >= 1.0 ? Long.MAX_VALUE : (long) (Math.max(0, sampleRatio) * Long.MAX_VALUE);
    this.batchSize = batchSize;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    anchorClock();
  }

  /**
   * Starts the export thread. Called inside {@code TelemetryPipeline.startAsAgent}, so the thread is
   * marked as the agent's: its own socket I/O (and that of threads it creates) is never counted.
   */
  void start() {
    Thread t = new Thread(this::run, "lookout-export");
    t.setDaemon(true);
    t.start();
    thread = t;
  }

  // ---- application threads ----

  @Override
  public SpanRecord span() {
    SpanRecord r = spanPool.relaxedPoll();
    if (r == null) {
      r = new SpanRecord();
      r.reset();
    }
    return r;
  }

  @Override
  public LogEventRecord log() {
    LogEventRecord r = logPool.relaxedPoll();
    return r != null ? r : new LogEventRecord();
  }

  @Override
  public void submit(SpanRecord r) {
    if (!r.sampled || (sampleBound != Long.MAX_VALUE && !r.isError() && (r.traceIdLow >>> 1) >= sampleBound)) {
      discard(r);
      return;
    }
    long size = r.estimateSize();
    if (!budget.take(size)) {
      dropped.add(1, TRACES);
      discard(r);
      return;
    }
    r.size = size;
    if (!queue.offer(r)) {
      budget.give(1, size);
      dropped.add(1, TRACES);
      discard(r);
    }
  }

  @Override
  public void submit(LogEventRecord r) {
    long size = r.estimateSize();
    if (!budget.take(size)) {
      dropped.add(1, LOGS);
      recycle(r);
      return;
    }
    r.size = size;
    if (!queue.offer(r)) {
      budget.give(1, size);
      dropped.add(1, LOGS);
      recycle(r);
    }
  }

  @Override
  public void discard(SpanRecord r) {
    r.reset();
    spanPool.relaxedOffer(r);
  }

  private void recycle(LogEventRecord r) {
    r.reset();
    logPool.relaxedOffer(r);
  }

  @Override
  public long epochNanos() {
    return clockAnchor + System.nanoTime();
  }

  private void anchorClock() {
    clockAnchor = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
  }

  // ---- the export thread ----

  /** What the export thread gathers for the next requests: records and the bytes they were counted at. */
  private static final class Batch {
    final List<SpanRecord> spans = new ArrayList<>();
    final List<LogEventRecord> logs = new ArrayList<>();
    long spanBytes;
    long logBytes;

    boolean isEmpty() {
      return spans.isEmpty() && logs.isEmpty();
    }
  }

  private void run() {
    Batch batch = new Batch();
    long oldest = 0;
    long lastAnchor = System.nanoTime();
    while (!stopping) {
      try {
        int taken = drain(batch);
        long now = System.nanoTime();
        if (taken > 0 && oldest == 0) {
          oldest = now;
        }
        boolean full = batch.spans.size() >= batchSize || batch.logs.size() >= batchSize;
        if (full || (oldest != 0 && now - oldest >= delayNanos)) {
          export(batch);
          oldest = 0;
        } else if (taken == 0) {
          LockSupport.parkNanos(IDLE_PARK_NANOS);
        }
        if (now - lastAnchor > TimeUnit.SECONDS.toNanos(60)) {
          anchorClock(); // follow wall-clock corrections
          lastAnchor = now;
        }
      } catch (Throwable t) {
        // keep exporting; what could not be encoded is given up
        abandon(batch);
      }
    }
  }

  /** Moves what is queued into the batch (up to a batch of each signal); answers how many. */
  private int drain(Batch batch) {
    int n = 0;
    while (batch.spans.size() < batchSize && batch.logs.size() < batchSize) {
      Object o = queue.relaxedPoll();
      if (o == null) {
        break;
      }
      n++;
      if (o instanceof SpanRecord) {
        SpanRecord r = (SpanRecord) o;
        batch.spans.add(r);
        batch.spanBytes += r.size;
      } else {
        LogEventRecord r = (LogEventRecord) o;
        batch.logs.add(r);
        batch.logBytes += r.size;
      }
    }
    return n;
  }

  /**
   * Encodes the batch, gives its records back to their pools, and hands the requests to the
   * transports. One request of each signal may be in flight while the next is prepared; the one
   * before is waited for first, so a slow collector slows the export thread (the buffer then fills
   * and drops) rather than piling up requests.
   */
  private void export(Batch batch) {
    if (!batch.spans.isEmpty()) {
      byte[] request = encoder.spans(batch.spans);
      int count = batch.spans.size();
      long bytes = batch.spanBytes;
      for (SpanRecord r : batch.spans) {
        discard(r);
      }
      batch.spans.clear();
      batch.spanBytes = 0;
      lastSpans.join(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      lastSpans = answered(spanTransport.send(request, count), count, bytes);
    }
    if (!batch.logs.isEmpty()) {
      byte[] request = encoder.logs(batch.logs);
      int count = batch.logs.size();
      long bytes = batch.logBytes;
      for (LogEventRecord r : batch.logs) {
        recycle(r);
      }
      batch.logs.clear();
      batch.logBytes = 0;
      lastLogs.join(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      lastLogs = answered(logTransport.send(request, count), count, bytes);
    }
  }

  /** A batch that could not be encoded: its room comes back, its records go back to the pools. */
  private void abandon(Batch batch) {
    budget.give(batch.spans.size() + batch.logs.size(), batch.spanBytes + batch.logBytes);
    for (SpanRecord r : batch.spans) {
      discard(r);
    }
    for (LogEventRecord r : batch.logs) {
      recycle(r);
    }
    batch.spans.clear();
    batch.logs.clear();
    batch.spanBytes = 0;
    batch.logBytes = 0;
  }

  /** The buffer's room comes back when the collector answered, whatever the answer. */
  private CompletableResultCode answered(CompletableResultCode answer, int count, long size) {
    answer.whenComplete(() -> budget.give(count, size));
    return answer;
  }

  /** Exports what is queued, waiting at most {@code timeoutMillis}; the export thread stops. */
  void flushAndStop(long timeoutMillis) {
    stopping = true;
    Thread t = thread;
    if (t != null) {
      try {
        t.join(timeoutMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    exportNow(timeoutMillis);
  }

  /**
   * Exports everything queued from the calling thread, waiting for the answers at most
   * {@code timeoutMillis}. Only while the export thread does not run (before {@link #start}, after
   * {@link #flushAndStop}, or in tests).
   */
  public void exportNow(long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    Batch batch = new Batch();
    while (System.nanoTime() < deadline) {
      if (drain(batch) == 0 && batch.isEmpty()) {
        break;
      }
      try {
        export(batch);
      } catch (RuntimeException e) {
        abandon(batch);
      }
    }
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    CompletableResultCode.ofAll(List.of(lastSpans, lastLogs)).join(left, TimeUnit.MILLISECONDS);
  }

  /** Records waiting in the queue. */
  int queued() {
    return queue.size();
  }

  /** Records and bytes held: queued, or exported and not answered yet. */
  long heldRecords() {
    return budget.records();
  }

  long heldBytes() {
    return budget.bytes();
  }
}
