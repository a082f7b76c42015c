package dev.lookout.agent.export;

import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.protocol.ResourceAttributes;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * {@link #batchSize} records or {@link #batchBytes} bytes, or {@link #delayNanos} after the oldest waiting one.
 */
public final class RecordExporter implements RecordSink {

  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  private static final Attributes TRACES = Attributes.of(SIGNAL, "traces");
  private static final Attributes LOGS = Attributes.of(SIGNAL, "logs");
  private static final int POOL = 2048;
  /** How long the export thread waits when the queue was empty: longer when it was empty last time too. */
  /**
   * How long the export thread sleeps once it drained the queue: while requests flow, and when none
   * came in the last round. Each wake-up is a context switch on a core the application uses; at 1 ms
   * they were a third of the export thread's CPU under load. 10 ms at 50k requests/s leaves ~500
   * records in flight, well within the pool and queue.
   */
  private static final long BUSY_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long EXPORT_TIMEOUT_SECONDS = 10;

  private final MpscAtomicArrayQueue<Object> queue;
  /**
   * Records given back. The export thread gives a record back as soon as it is encoded, a few
   * milliseconds after it was submitted, so a small pool covers a busy server: once it is warm a
   * record is never made anew (recording allocates nothing but the request's handle), and the
   * records in rotation stay few enough to be in the CPU's cache. Only a backlog (a queue that
   * grew while the export thread was held up) makes records beyond it, dropped when they come back.
   */
  private final MpmcAtomicArrayQueue<SpanRecord> spanPool;
  private final MpmcAtomicArrayQueue<LogEventRecord> logPool;
  private final BufferBudget budget;
  /**
   * Records dropped, counted here and read by the metric's callback: a full buffer means every record
   * is dropped, and the SDK's synchronous counter cost each one an attribute lookup in its storage.
   */
  private final LongAdder droppedSpans = new LongAdder();
  private final LongAdder droppedLogs = new LongAdder();
  private final OtlpTransport spanTransport;
  private final OtlpTransport logTransport;
  private final OtlpEncoder encoder;
  private final long sampleBound;
  private final int batchSize;
  private final int batchBytes;
  private final long delayNanos;
  private volatile long clockAnchor;
  private volatile boolean stopping;
  /** Completed on the export thread when the first request record arrives (the application serves). */
  private final CompletableFuture<Void> firstSpan = new CompletableFuture<>();
  private boolean spanSeen;
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
        TelemetryPipeline.EXPORT_BATCH_BYTES, TelemetryPipeline.EXPORT_DELAY_MILLIS);
  }

  /**
   * An exporter that encodes as the agent's does and hands each request to a transport that drops it
   * and answers at once: the export thread's own work without a network, for benchmarks.
   */
  public static RecordExporter discarding(String serviceName, Redactor redactor) {
    OtlpTransport drop = (buffer, length, records) -> CompletableResultCode.ofSuccess();
    return create(drop, drop, Attributes.of(AttributeKey.stringKey(ResourceAttributes.SERVICE_NAME), serviceName), redactor, 1 << 16,
        64L << 20, MeterProvider.noop().get("dev.lookout.agent"), 1.0);
  }

  private RecordExporter(OtlpTransport spanTransport, OtlpTransport logTransport, OtlpEncoder encoder,
      BufferBudget budget, Meter meter, double sampleRatio, int batchSize, int batchBytes, long delayMillis) {
    this.spanTransport = spanTransport;
    this.logTransport = logTransport;
    this.encoder = encoder;
    this.budget = budget;
    this.queue = new MpscAtomicArrayQueue<>((int) Math.max(16, Math.min(budget.maxRecords(), 1 << 20)));
    this.spanPool = new MpmcAtomicArrayQueue<>(POOL);
    this.logPool = new MpmcAtomicArrayQueue<>(POOL);
    meter.counterBuilder(BufferBudget.DROPPED).setUnit("{record}")
        .setDescription("Records dropped because the agent's buffer toward the collector was full")
        .buildWithCallback(m -> {
          long spans = droppedSpans.sum();
          long logs = droppedLogs.sum();
          if (spans > 0) {
            m.record(spans, TRACES);
          }
          if (logs > 0) {
            m.record(logs, LOGS);
          }
        });
    meter.gaugeBuilder("lookout.agent.queue.size").ofLongs().setUnit("{record}")
        .setDescription("Records waiting for export").buildWithCallback(m -> m.record(queue.size()));
    this.sampleBound = sampleRatio >= 1.0 ? Long.MAX_VALUE : (long) (Math.max(0, sampleRatio) * Long.MAX_VALUE);
    this.batchSize = batchSize;
    this.batchBytes = batchBytes;
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

  /** Completes when the first request record reached the export thread. */
  public CompletionStage<Void> firstSpan() {
    return firstSpan;
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
    r.size = size;
    if (!enqueue(r, size, droppedSpans)) {
      discard(r);
    }
  }

  @Override
  public void submit(LogEventRecord r) {
    long size = r.estimateSize();
    r.size = size;
    if (!enqueue(r, size, droppedLogs)) {
      recycle(r);
    }
  }

  /** Queues a record the budget has room for; false (and counted as dropped) when it has none. */
  private boolean enqueue(Object record, long size, LongAdder dropped) {
    if (budget.take(size)) {
      if (queue.offer(record)) {
        return true;
      }
      budget.give(1, size);
    }
    dropped.increment();
    return false;
  }

  /** Adds records dropped before this exporter existed ({@link StartupBuffer}) to its count. */
  void countDropped(long spans, long logs) {
    droppedSpans.add(spans);
    droppedLogs.add(logs);
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

  /** Buffer bytes of the records encoded into the requests being built (given back on their answers). */
  private long spanBytes;
  private long logBytes;

  private void run() {
    long oldest = 0;
    long lastAnchor = System.nanoTime();
    int takenBefore = 0;
    while (!stopping) {
      try {
        int taken = drain();
        long now = System.nanoTime();
        if (taken > 0 && oldest == 0) {
          oldest = now;
        }
        if (batchFull() || (oldest != 0 && now - oldest >= delayNanos)) {
          export();
          oldest = 0;
        } else if (taken == 0) {
          long park = takenBefore > 0 ? BUSY_PARK_NANOS : IDLE_PARK_NANOS;
          if (oldest != 0) {
            park = Math.min(park, Math.max(0, oldest + delayNanos - now)); // the oldest record's batch is due
          }
          LockSupport.parkNanos(park);
        }
        takenBefore = taken;
        if (now - lastAnchor > TimeUnit.SECONDS.toNanos(60)) {
          anchorClock(); // follow wall-clock corrections
          lastAnchor = now;
        }
      } catch (Throwable t) {
        abandon(); // keep exporting; what could not be encoded is given up
      }
    }
  }

  /**
   * Encodes what is queued into the requests being built (up to a batch of each signal) and gives
   * each record back to its pool at once: the records in use are those of the last few
   * milliseconds, few enough to stay in the CPU's cache. Answers how many were taken.
   */
  private int drain() {
    int n = 0;
    while (!batchFull()) {
      Object o = queue.relaxedPoll();
      if (o == null) {
        break;
      }
      n++;
      if (o instanceof SpanRecord) {
        SpanRecord r = (SpanRecord) o;
        if (!spanSeen) {
          spanSeen = true;
          firstSpan.complete(null);
        }
        try {
          encoder.addSpan(r);
          spanBytes += r.size;
        } catch (RuntimeException e) {
          budget.give(1, r.size); // a record that cannot be encoded is dropped, its room given back
        }
        discard(r);
      } else {
        LogEventRecord r = (LogEventRecord) o;
        try {
          encoder.addLog(r);
          logBytes += r.size;
        } catch (RuntimeException e) {
          budget.give(1, r.size);
        }
        recycle(r);
      }
    }
    return n;
  }

  /** Whether a request being built has its records or its bytes: it goes before more are encoded. */
  private boolean batchFull() {
    return encoder.spanCount() >= batchSize || encoder.logCount() >= batchSize
        || encoder.spanBytes() >= batchBytes || encoder.logBytes() >= batchBytes;
  }

  /**
   * Hands the requests built so far to the transports. One request of each signal may be in flight
   * while the next is built; the one before is waited for first, so a slow collector slows the
   * export thread (the buffer then fills and drops) rather than piling up requests.
   */
  private void export() {
    int spans = encoder.spanCount();
    if (spans > 0) {
      // The previous request's answer first: its writer is the one the next take hands out again.
      lastSpans.join(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      ProtoWriter request = encoder.takeSpans();
      long bytes = spanBytes;
      spanBytes = 0;
      lastSpans = answered(spanTransport.send(request.array(), request.size(), spans), spans, bytes);
    }
    int logs = encoder.logCount();
    if (logs > 0) {
      lastLogs.join(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      ProtoWriter request = encoder.takeLogs();
      long bytes = logBytes;
      logBytes = 0;
      lastLogs = answered(logTransport.send(request.array(), request.size(), logs), logs, bytes);
    }
  }


  /** Requests that could not be built or sent: their room comes back. */
  private void abandon() {
    int spans = encoder.spanCount();
    int logs = encoder.logCount();
    try {
      encoder.takeSpans();
      encoder.takeLogs();
    } catch (RuntimeException ignored) {
      // the encoder starts afresh with its next record either way
    }
    budget.give(spans + logs, spanBytes + logBytes);
    spanBytes = 0;
    logBytes = 0;
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
    while (System.nanoTime() < deadline) {
      if (drain() == 0 && encoder.spanCount() == 0 && encoder.logCount() == 0) {
        break;
      }
      try {
        export();
      } catch (RuntimeException e) {
        abandon();
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
