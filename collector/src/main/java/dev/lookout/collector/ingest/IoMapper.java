package dev.lookout.collector.ingest;

import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.StorableText;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;

/**
 * {@code lookout.io} span events to {@link IoRecord}s. On a request's SERVER span the path is its
 * route (else its URL path); on the agent's INTERNAL {@code lookout.io} span (I/O outside
 * requests) it is {@code "-"}. Events missing a kind are skipped.
 */
public final class IoMapper {

  public static final String EVENT = "lookout.io";
  private static final int MAX_TEXT = 2000;

  private IoMapper() {}

  /** The span's {@code lookout.io} events as rows; {@code attrs} are the span's own attributes. */
  static void map(String service, Span span, Attributes attrs, List<IoRecord> out) {
    String path = null;
    for (Span.Event event : span.getEventsList()) {
      if (!event.getName().equals(EVENT)) {
        continue;
      }
      Attributes e = Attributes.of(event.getAttributesList());
      String kind = e.text("kind");
      if (kind == null) {
        continue;
      }
      if (path == null) {
        path = pathOf(span, attrs);
      }
      long time = (event.getTimeUnixNano() > 0 ? event.getTimeUnixNano() : span.getStartTimeUnixNano()) / 1_000_000;
      String traceId = Attributes.hex(span.getTraceId());
      out.add(new IoRecord(0, time, service, path, cap(orDash(e.text("call_site"))), cap(kind),
          e.number(0, "calls"), e.number(0, "bytes"), e.number(0, "zero_copy_bytes"),
          e.number(0, "copied_bytes"), cap(orDash(e.text("mechanism"))), cap(orDash(e.text("verdict"))),
          cap(e.text("reason")), e.number(0, "nanos"), cap(e.text("source")), cap(e.text("target")),
          traceId, traceId == null ? null : Attributes.hex(span.getSpanId())));
    }
  }

  private static String pathOf(Span span, Attributes attrs) {
    if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
      return "-";
    }
    String route = attrs.text("http.route");
    if (route != null) {
      return route;
    }
    String path = attrs.text("url.path", "http.target");
    if (path == null) {
      return StorableText.of(span.getName());
    }
    int q = path.indexOf('?');
    return q >= 0 ? path.substring(0, q) : path;
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String cap(String s) {
    return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }
}
