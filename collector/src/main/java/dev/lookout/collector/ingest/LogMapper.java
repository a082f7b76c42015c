package dev.lookout.collector.ingest;

import dev.lookout.protocol.ExceptionEvent;
import dev.lookout.protocol.LogAttributes;
import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.StorableText;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP log records to rows. The logger is the instrumentation scope (as OpenTelemetry's log
 * bridges set it) unless an attribute names it; levels are normalised to TRACE … ERROR from the
 * severity number, or the severity text when the number is missing. A record carrying an
 * exception also yields an exception occurrence.
 */
final class LogMapper {

  record Result(List<LogEntryRecord> logs, List<ExceptionRecord> exceptions) {}

  private LogMapper() {}

  static Result map(ExportLogsServiceRequest export) {
    List<LogEntryRecord> logs = new ArrayList<>();
    List<ExceptionRecord> exceptions = new ArrayList<>();
    for (ResourceLogs rl : export.getResourceLogsList()) {
      String service = Attributes.serviceName(rl.getResource());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        String scope = StorableText.of(sl.getScope().getName());
        for (LogRecord r : sl.getLogRecordsList()) {
          Attributes attrs = Attributes.of(r.getAttributesList());
          long nanos = r.getTimeUnixNano() != 0 ? r.getTimeUnixNano() : r.getObservedTimeUnixNano();
          long time = nanos != 0 ? nanos / 1_000_000 : System.currentTimeMillis();
          String logger = attrs.text("logger.name", "log.logger", "code.namespace");
          if (logger == null && !scope.isEmpty()) {
            logger = scope;
          }
          String type = attrs.text(ExceptionEvent.TYPE);
          String stack = attrs.text(ExceptionEvent.STACKTRACE);
          String exceptionText = stack != null ? stack
              : type == null ? null : type + (attrs.text(ExceptionEvent.MESSAGE) == null ? "" : ": " + attrs.text(ExceptionEvent.MESSAGE));
          String traceId = Attributes.hex(r.getTraceId());
          String spanId = Attributes.hex(r.getSpanId());
          logs.add(new LogEntryRecord(0, time, service, level(r), logger, attrs.text(LogAttributes.THREAD_NAME),
              r.hasBody() ? Attributes.text(r.getBody()) : null, exceptionText, traceId, spanId));
          if (type != null && !attrs.flag(ExceptionEvent.DUPLICATE)) {
            String source = attrs.text(LogAttributes.EXCEPTION_SOURCE);
            exceptions.add(new ExceptionRecord(0, time, service, Fingerprints.of(type, stack), type,
                attrs.text(ExceptionEvent.MESSAGE), stack, traceId, spanId, source == null ? "log" : source));
          }
        }
      }
    }
    return new Result(logs, exceptions);
  }

  /** OTLP severity numbers: 1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–24 ERROR and FATAL. */
  static int level(LogRecord r) {
    int n = r.getSeverityNumberValue();
    if (n > 0) {
      return n <= 4 ? 1 : n <= 8 ? 2 : n <= 12 ? 3 : n <= 16 ? 4 : 5;
    }
    int byText = LogEntryRecord.levelOf(r.getSeverityText());
    return byText > 0 ? byText : 3;
  }
}
