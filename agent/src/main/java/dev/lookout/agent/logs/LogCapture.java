package dev.lookout.agent.logs;

import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.trace.ServerSpans;

/**
 * Captured log records and uncaught exceptions as {@link LogEventRecord}s, linked to the request
 * current on the thread. The logging thread only writes references into a pooled record; the
 * message is redacted and the throwable rendered on the export thread.
 */
public final class LogCapture extends LogHooks {

  /** Set while this thread emits, so that anything the agent logs on its way is not captured again. */
  private static final ThreadLocal<boolean[]> EMITTING = ThreadLocal.withInitial(() -> new boolean[1]);

  private final RecordSink sink;

  public LogCapture(RecordSink sink) {
    this.sink = sink;
  }

  @Override
  protected void onRecord(long epochMillis, int level, String logger, String message, Throwable thrown) {
    boolean[] emitting = EMITTING.get();
    if (emitting[0]) {
      return;
    }
    emitting[0] = true;
    try {
      LogEventRecord r = sink.log();
      boolean firstReport = ServerSpans.countLog(thrown, r);
      r.epochMillis = epochMillis;
      r.level = level;
      r.logger = logger;
      r.message = message;
      r.threadName = Thread.currentThread().getName();
      if (thrown != null) {
        r.thrown = thrown;
        r.source = LogEventRecord.SOURCE_LOG;
        r.duplicate = !firstReport;
      }
      sink.submit(r);
    } finally {
      emitting[0] = false;
    }
  }

  @Override
  protected void onUncaught(Thread thread, Throwable thrown) {
    LogEventRecord r = sink.log();
    boolean firstReport = ServerSpans.countLog(thrown, r);
    r.epochMillis = System.currentTimeMillis();
    r.level = ERROR;
    r.logger = "uncaught";
    r.message = "Uncaught exception in thread \"" + thread.getName() + "\"";
    r.threadName = thread.getName();
    r.thrown = thrown;
    r.source = LogEventRecord.SOURCE_UNCAUGHT;
    r.duplicate = !firstReport;
    sink.submit(r);
  }

  @Override
  protected String traceId() {
    return ServerSpans.currentTraceIdHex();
  }

  @Override
  protected String spanId() {
    return ServerSpans.currentSpanIdHex();
  }
}
