package dev.lookout.agent.support;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.logs.TestLogRecordData;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's encoded export requests read back with the OTLP schema (opentelemetry-proto), as any
 * receiver reads them, into the SDK's data types for readable assertions.
 */
public final class Otlp {


  private Otlp() {}

  public static List<SpanData> spans(byte[] request) {
    ExportTraceServiceRequest parsed;
    try {
      parsed = ExportTraceServiceRequest.parseFrom(request);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a valid ExportTraceServiceRequest", e);
    }
    List<SpanData> out = new ArrayList<>();
    for (ResourceSpans rs : parsed.getResourceSpansList()) {
      Resource resource = Resource.create(attributes(rs.getResource().getAttributesList()));
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.create(ss.getScope().getName());
        for (Span s : ss.getSpansList()) {
          String traceId = hex(s.getTraceId().toByteArray());
          SpanContext parent = s.getParentSpanId().isEmpty() ? SpanContext.getInvalid()
              : (s.getFlags() & 0x200) != 0
                  ? SpanContext.createFromRemoteParent(traceId, hex(s.getParentSpanId().toByteArray()),
                      TraceFlags.getSampled(), TraceState.getDefault())
                  : SpanContext.create(traceId, hex(s.getParentSpanId().toByteArray()),
                      TraceFlags.getSampled(), TraceState.getDefault());
          List<EventData> events = new ArrayList<>();
          for (Span.Event e : s.getEventsList()) {
            events.add(EventData.create(e.getTimeUnixNano(), e.getName(), attributes(e.getAttributesList())));
          }
          out.add(TestSpanData.builder()
              .setResource(resource)
              .setInstrumentationScopeInfo(scope)
              .setSpanContext(SpanContext.create(traceId, hex(s.getSpanId().toByteArray()),
                  TraceFlags.getSampled(), TraceState.getDefault()))
              .setParentSpanContext(parent)
              .setName(s.getName())
              .setKind(kind(s.getKind()))
              .setStartEpochNanos(s.getStartTimeUnixNano())
              .setEndEpochNanos(s.getEndTimeUnixNano())
              .setAttributes(attributes(s.getAttributesList()))
              .setEvents(events)
              .setTotalRecordedEvents(events.size())
              .setStatus(s.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR
                  ? StatusData.error() : StatusData.unset())
              .setHasEnded(true)
              .build());
        }
      }
    }
    return out;
  }

  public static List<LogRecordData> logs(byte[] request) {
    ExportLogsServiceRequest parsed;
    try {
      parsed = ExportLogsServiceRequest.parseFrom(request);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a valid ExportLogsServiceRequest", e);
    }
    List<LogRecordData> out = new ArrayList<>();
    for (ResourceLogs rl : parsed.getResourceLogsList()) {
      Resource resource = Resource.create(attributes(rl.getResource().getAttributesList()));
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.create(sl.getScope().getName());
        for (LogRecord l : sl.getLogRecordsList()) {
          SpanContext context = l.getSpanId().isEmpty() ? SpanContext.getInvalid()
              : SpanContext.create(hex(l.getTraceId().toByteArray()), hex(l.getSpanId().toByteArray()),
                  TraceFlags.getSampled(), TraceState.getDefault());
          out.add(TestLogRecordData.builder()
              .setResource(resource)
              .setInstrumentationScopeInfo(scope)
              .setTimestamp(l.getTimeUnixNano(), java.util.concurrent.TimeUnit.NANOSECONDS)
              .setObservedTimestamp(l.getObservedTimeUnixNano(), java.util.concurrent.TimeUnit.NANOSECONDS)
              .setSpanContext(context)
              .setSeverity(severity(l.getSeverityNumberValue()))
              .setSeverityText(l.getSeverityText())
              .setBody(l.getBody().getStringValue())
              .setAttributes(attributes(l.getAttributesList()))
              .build());
        }
      }
    }
    return out;
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  private static Severity severity(int number) {
    for (Severity s : Severity.values()) {
      if (s.getSeverityNumber() == number) {
        return s;
      }
    }
    return Severity.UNDEFINED_SEVERITY_NUMBER;
  }

  private static SpanKind kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_SERVER: return SpanKind.SERVER;
      case SPAN_KIND_CLIENT: return SpanKind.CLIENT;
      case SPAN_KIND_PRODUCER: return SpanKind.PRODUCER;
      case SPAN_KIND_CONSUMER: return SpanKind.CONSUMER;
      default: return SpanKind.INTERNAL;
    }
  }

  private static Attributes attributes(List<KeyValue> list) {
    AttributesBuilder b = Attributes.builder();
    for (KeyValue kv : list) {
      AnyValue v = kv.getValue();
      switch (v.getValueCase()) {
        case STRING_VALUE: b.put(AttributeKey.stringKey(kv.getKey()), v.getStringValue()); break;
        case INT_VALUE: b.put(AttributeKey.longKey(kv.getKey()), v.getIntValue()); break;
        case BOOL_VALUE: b.put(AttributeKey.booleanKey(kv.getKey()), v.getBoolValue()); break;
        case DOUBLE_VALUE: b.put(AttributeKey.doubleKey(kv.getKey()), v.getDoubleValue()); break;
        case ARRAY_VALUE:
          List<String> items = new ArrayList<>();
          for (AnyValue item : v.getArrayValue().getValuesList()) {
            items.add(item.getStringValue());
          }
          b.put(AttributeKey.stringArrayKey(kv.getKey()), items);
          break;
        default: throw new AssertionError("unexpected value " + v + " of " + kv.getKey());
      }
    }
    return b.build();
  }
}
