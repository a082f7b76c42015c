package dev.lookout.collector.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.concurrent.ThreadLocalRandom;

/** Builds OTLP export requests the way an SDK would send them. */
public final class Otlp {

  private Otlp() {}

  public static Span serverSpan(long startMillis, double durationMs, String method, String path, int status) {
    long start = startMillis * 1_000_000;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(random(16)))
        .setSpanId(ByteString.copyFrom(random(8)))
        .setName(method)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + (long) (durationMs * 1_000_000))
        .addAttributes(kv("http.request.method", method))
        .addAttributes(kv("url.path", path))
        .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
            .setValue(AnyValue.newBuilder().setIntValue(status)))
        .build();
  }

  public static ExportTraceServiceRequest traces(String service, Iterable<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource(service))
            .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
        .build();
  }

  public static LogRecord log(long millis, String message) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(millis * 1_000_000)
        .setSeverityNumberValue(9)
        .setSeverityText("INFO")
        .setBody(AnyValue.newBuilder().setStringValue(message))
        .build();
  }

  public static ExportLogsServiceRequest logs(String service, Iterable<LogRecord> records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource(service))
            .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(records)))
        .build();
  }

  private static Resource resource(String service) {
    return Resource.newBuilder().addAttributes(kv("service.name", service)).build();
  }

  public static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static byte[] random(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1;
    return b;
  }
}
