package dev.lookout.collector.ingest;

import dev.lookout.collector.store.StorableText;

import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.RequestRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * OTLP spans to rows. A request is a SERVER span with an HTTP method; the current semantic-convention
 * names are read first, the older ones (http.method, http.target, …) as a fallback so that older
 * SDKs and agents show up too. Exception events of any span become exception occurrences, unless
 * the agent marked them as already reported (a logged exception that was then rethrown).
 */
final class TraceMapper {

  /** What one export request yields, and how many spans were rejected as unusable. */
  record Result(List<RequestRecord> requests, List<ExceptionRecord> exceptions, int rejected, String rejectReason) {}

  private TraceMapper() {}

  static Result map(ExportTraceServiceRequest export) {
    List<RequestRecord> requests = new ArrayList<>();
    List<ExceptionRecord> exceptions = new ArrayList<>();
    int rejected = 0;
    String reason = null;
    for (ResourceSpans rs : export.getResourceSpansList()) {
      String service = Attributes.serviceName(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
            rejected++;
            reason = "span with an invalid trace or span id";
            continue;
          }
          Attributes attrs = Attributes.of(span.getAttributesList());
          boolean server = span.getKind() == Span.SpanKind.SPAN_KIND_SERVER;
          int exceptionEvents = exceptions(service, span, server, exceptions);
          String method = server ? attrs.text("http.request.method", "http.method") : null;
          if (method != null) {
            requests.add(toRequest(service, span, attrs, method, exceptionEvents));
          }
        }
      }
    }
    return new Result(requests, exceptions, rejected, reason);
  }

  private static int exceptions(String service, Span span, boolean server, List<ExceptionRecord> out) {
    int counted = 0;
    for (Span.Event event : span.getEventsList()) {
      if (!event.getName().equals("exception")) {
        continue;
      }
      Attributes e = Attributes.of(event.getAttributesList());
      if (e.flag("lookout.exception.duplicate")) {
        continue;
      }
      counted++;
      String type = e.text("exception.type");
      String stack = e.text("exception.stacktrace");
      out.add(new ExceptionRecord(0, event.getTimeUnixNano() / 1_000_000, service,
          Fingerprints.of(type, stack), type == null ? "unknown" : type, e.text("exception.message"), stack,
          Attributes.hex(span.getTraceId()), Attributes.hex(span.getSpanId()), server ? "request" : "span"));
    }
    return counted;
  }

  private static RequestRecord toRequest(String service, Span span, Attributes attrs, String method,
      int exceptionEvents) {
    String path = attrs.text("url.path", "http.target");
    String query = attrs.text("url.query");
    if (path != null && path.indexOf('?') >= 0) {
      if (query == null) {
        query = path.substring(path.indexOf('?') + 1);
      }
      path = path.substring(0, path.indexOf('?'));
    }
    String route = attrs.text("http.route");
    if (path == null) {
      path = route != null ? route : StorableText.of(span.getName());
    }
    long startNanos = span.getStartTimeUnixNano();
    long endNanos = Math.max(span.getEndTimeUnixNano(), startNanos);
    return new RequestRecord(0, Attributes.hex(span.getTraceId()), Attributes.hex(span.getSpanId()), service, method,
        path, route, query, (int) attrs.number(0, "http.response.status_code", "http.status_code"),
        (endNanos - startNanos) / 1_000_000.0, startNanos / 1_000_000,
        attrs.text("client.address", "net.sock.peer.addr", "net.peer.ip"),
        (int) attrs.number(exceptionEvents, "lookout.exception_count"), (int) attrs.number(0, "lookout.log_count"),
        attrs.toJson());
  }
}
