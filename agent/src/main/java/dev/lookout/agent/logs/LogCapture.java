package dev.lookout.agent.logs;

import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.trace.ServerSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns captured log records and uncaught exceptions into OpenTelemetry log records, linked to the
 * span of the request current on the thread. The logger name is the instrumentation scope, as OpenTelemetry's own
 * log bridges do it.
 */
public final class LogCapture extends LogHooks {

  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> EXCEPTION_STACKTRACE = AttributeKey.stringKey("exception.stacktrace");
  static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("lookout.exception.duplicate");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("lookout.exception.source");

  private static final Severity[] SEVERITIES = {
      Severity.UNDEFINED_SEVERITY_NUMBER, Severity.TRACE, Severity.DEBUG, Severity.INFO, Severity.WARN, Severity.ERROR};
  private static final String[] NAMES = {"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

  /** Set while this thread emits, so that anything the SDK logs on its way is not captured again. */
  private static final ThreadLocal<boolean[]> EMITTING = ThreadLocal.withInitial(() -> new boolean[1]);

  private final LoggerProvider provider;
  private final Redactor redactor;
  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

  public LogCapture(LoggerProvider provider, Redactor redactor) {
    this.provider = provider;
    this.redactor = redactor;
  }

  @Override
  protected void onRecord(long epochMillis, int level, String logger, String message, Throwable thrown) {
    boolean[] emitting = EMITTING.get();
    if (emitting[0]) {
      return;
    }
    emitting[0] = true;
    try {
      boolean firstReport = ServerSpans.countLog(thrown);
      LogRecordBuilder record = loggerFor(logger).logRecordBuilder()
          .setContext(ServerSpans.currentContext())
          .setTimestamp(epochMillis, TimeUnit.MILLISECONDS)
          .setSeverity(SEVERITIES[level])
          .setSeverityText(NAMES[level])
          .setBody(message == null ? "" : redactor.message(message))
          .setAttribute(THREAD_NAME, Thread.currentThread().getName());
      if (thrown != null) {
        addException(record, thrown, firstReport);
        record.setAttribute(SOURCE, "log");
      }
      record.emit();
    } finally {
      emitting[0] = false;
    }
  }

  @Override
  protected void onUncaught(Thread thread, Throwable thrown) {
    boolean firstReport = ServerSpans.countLog(thrown);
    LogRecordBuilder record = loggerFor("uncaught").logRecordBuilder()
        .setContext(ServerSpans.currentContext())
        .setTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
        .setSeverity(Severity.ERROR)
        .setSeverityText("ERROR")
        .setBody("Uncaught exception in thread \"" + thread.getName() + "\"")
        .setAttribute(THREAD_NAME, thread.getName())
        .setAttribute(SOURCE, "uncaught");
    addException(record, thrown, firstReport);
    record.emit();
  }

  private void addException(LogRecordBuilder record, Throwable thrown, boolean firstReport) {
    StringWriter trace = new StringWriter(1024);
    thrown.printStackTrace(new PrintWriter(trace));
    record.setAttribute(EXCEPTION_TYPE, thrown.getClass().getName())
        .setAttribute(EXCEPTION_STACKTRACE, redactor.message(trace.toString()));
    if (thrown.getMessage() != null) {
      record.setAttribute(EXCEPTION_MESSAGE, redactor.message(thrown.getMessage()));
    }
    if (!firstReport) {
      record.setAttribute(DUPLICATE, true);
    }
  }

  private Logger loggerFor(String name) {
    String scope = name == null || name.isEmpty() ? "root" : name;
    Logger logger = loggers.get(scope); // a plain lookup first: computeIfAbsent's bound lambda allocates per call
    return logger != null ? logger : loggers.computeIfAbsent(scope, provider::get);
  }

  @Override
  protected String traceId() {
    SpanContext c = ServerSpans.currentSpan().getSpanContext();
    return c.isValid() ? c.getTraceId() : null;
  }

  @Override
  protected String spanId() {
    SpanContext c = ServerSpans.currentSpan().getSpanContext();
    return c.isValid() ? c.getSpanId() : null;
  }
}
