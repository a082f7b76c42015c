package dev.lookout.agent.export;

import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.trace.ExceptionEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.Body;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link LogEventRecord} in the form the OpenTelemetry exporter encodes, made on the export
 * thread: the message redacted, the throwable rendered and redacted, the logger name as the
 * instrumentation scope (as OpenTelemetry's own log bridges do it).
 */
final class LogEventData implements LogRecordData {

  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey("lookout.exception.source");

  private static final Severity[] SEVERITIES = {
      Severity.UNDEFINED_SEVERITY_NUMBER, Severity.TRACE, Severity.DEBUG, Severity.INFO, Severity.WARN, Severity.ERROR};
  private static final String[] NAMES = {"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

  /** What the export thread needs to turn records into log data; used by that thread only. */
  static final class Encoder {
    final Resource resource;
    final Redactor redactor;
    private final Map<String, InstrumentationScopeInfo> scopes = new HashMap<>();

    Encoder(Resource resource, Redactor redactor) {
      this.resource = resource;
      this.redactor = redactor;
    }

    InstrumentationScopeInfo scope(String logger) {
      String name = logger == null || logger.isEmpty() ? "root" : logger;
      InstrumentationScopeInfo scope = scopes.get(name);
      if (scope == null) {
        scope = InstrumentationScopeInfo.create(name);
        if (scopes.size() < 4096) {
          scopes.put(name, scope);
        }
      }
      return scope;
    }
  }

  private final Resource resource;
  private final InstrumentationScopeInfo scope;
  private final long timestamp;
  private final SpanContext context;
  private final int level;
  private final String body;
  private final Attributes attributes;

  LogEventData(Encoder encoder, LogEventRecord r) {
    this.resource = encoder.resource;
    this.scope = encoder.scope(r.logger);
    this.timestamp = r.epochMillis * 1_000_000L;
    this.context = r.spanId == 0 ? SpanContext.getInvalid()
        : SpanContext.create(TraceIds.traceIdHex(r.traceIdHigh, r.traceIdLow), TraceIds.spanIdHex(r.spanId),
            TraceFlags.getSampled(), TraceState.getDefault());
    this.level = Math.max(0, Math.min(r.level, SEVERITIES.length - 1));
    this.body = r.message == null ? "" : encoder.redactor.message(r.message);
    AttributesBuilder a = Attributes.builder().put(THREAD_NAME, r.threadName);
    if (r.thrown != null) {
      ExceptionEvents.addTo(a, r.thrown, encoder.redactor);
      a.put(SOURCE, r.source == null ? LogEventRecord.SOURCE_LOG : r.source);
      if (r.duplicate) {
        a.put(ExceptionEvents.DUPLICATE_KEY, true);
      }
    }
    this.attributes = a.build();
  }

  @Override
  public Resource getResource() {
    return resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public long getTimestampEpochNanos() {
    return timestamp;
  }

  @Override
  public long getObservedTimestampEpochNanos() {
    return timestamp;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public Severity getSeverity() {
    return SEVERITIES[level];
  }

  @Override
  public String getSeverityText() {
    return NAMES[level];
  }

  @Override
  @SuppressWarnings("deprecation")
  public Body getBody() {
    return Body.string(body);
  }

  @Override
  public Value<?> getBodyValue() {
    return Value.of(body);
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }
}
