package dev.lookout.agent.record;

/**
 * One captured log record (or uncaught exception) as the logging thread writes it: references to
 * the strings and throwable the application made, the ids of the request current on the thread.
 * The message is redacted and the stack trace rendered on the export thread
 * ({@code export.LogEventData}).
 */
public final class LogEventRecord {

  public static final String SOURCE_LOG = "log";
  public static final String SOURCE_UNCAUGHT = "uncaught";

  public long epochMillis;
  /** {@code LogHooks} levels: 1 TRACE … 5 ERROR. */
  public int level;
  public String logger;
  public String message;
  public String threadName;
  public Throwable thrown;
  /** {@link #SOURCE_LOG} or {@link #SOURCE_UNCAUGHT} when it carries a throwable. */
  public String source;
  /** The throwable was reported before (logged, or thrown out of a request). */
  public boolean duplicate;
  /** Ids of the request current on the thread; 0 outside requests. */
  public long traceIdHigh;
  public long traceIdLow;
  public long spanId;
  public long size;

  public void reset() {
    epochMillis = 0;
    level = 0;
    logger = null;
    message = null;
    threadName = null;
    thrown = null;
    source = null;
    duplicate = false;
    traceIdHigh = 0;
    traceIdLow = 0;
    spanId = 0;
    size = 0;
  }

  public long estimateSize() {
    return 192 + (message == null ? 0 : 40 + message.length()) + SpanRecord.throwableSize(thrown);
  }
}
