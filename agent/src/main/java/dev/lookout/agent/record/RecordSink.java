package dev.lookout.agent.record;

/**
 * Where recorded spans and log records go: records come from its pool and go back to it through
 * {@link #submit}. Every method is safe on any application thread: it never blocks and never
 * throws; a full buffer drops the record (counted) and keeps the record for reuse.
 */
public interface RecordSink {

  /** A cleared span record, from the pool or new. */
  SpanRecord span();

  /** A cleared log record, from the pool or new. */
  LogEventRecord log();

  /** The span ended: queued for export, or dropped and counted when the buffer is full. */
  void submit(SpanRecord span);

  void submit(LogEventRecord log);

  /** Gives a record back unexported (a request that was not recorded after all). */
  void discard(SpanRecord span);

  /** The current time as epoch nanoseconds, without allocating (an anchored monotonic clock). */
  long epochNanos();
}
