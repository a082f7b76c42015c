package dev.lookout.collector.ingest;

import dev.lookout.protocol.ExceptionEvent;
import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.RequestColumns;
import dev.lookout.collector.store.RequestColumns.Key;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.StorableText;
import com.google.protobuf.ByteString;
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
 * the agent marked them as already reported (a logged exception that was then rethrown). Spans
 * come either from a decoded message or, for protobuf, straight off the wire ({@link ProtobufTraces}).
 */
final class TraceMapper {

  /** What one export request yields, and how many spans were rejected as unusable. */
  record Result(List<RequestRecord> requests, List<ExceptionRecord> exceptions, List<IoRecord> io, int rejected,
      String rejectReason) {}

  private TraceMapper() {}

  static Result map(ExportTraceServiceRequest export) {
    Rows rows = new Rows();
    for (ResourceSpans rs : export.getResourceSpansList()) {
      String service = Attributes.serviceName(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          rows.add(service, span);
        }
      }
    }
    return rows.result();
  }

  /** The rows of an export as its spans are read, whichever way they are decoded. */
  static final class Rows {
    final List<RequestRecord> requests = new ArrayList<>();
    final List<ExceptionRecord> exceptions = new ArrayList<>();
    final List<IoRecord> io = new ArrayList<>();
    private final IoMapper.SocketSums sockets = new IoMapper.SocketSums();
    private int rejected;
    private String reason;

    /** A span whose trace or span id is unusable. */
    void reject() {
      rejected++;
      reason = "span with an invalid trace or span id";
    }

    /** A span decoded as a message: its exception and I/O events, and its request. */
    void add(String service, Span span) {
      if (!validIds(span.getTraceId(), span.getSpanId())) {
        reject();
        return;
      }
      Attributes attrs = Attributes.of(span.getAttributesList());
      boolean server = span.getKind() == Span.SpanKind.SPAN_KIND_SERVER;
      int exceptionEvents = exceptions(service, span, server, exceptions);
      boolean socketEvent = IoMapper.map(service, span, attrs, io);
      spanRows(service, span.getTraceId(), span.getSpanId(), span.getName(), server, span.getStartTimeUnixNano(),
          span.getEndTimeUnixNano(), attrs, exceptionEvents, socketEvent);
    }

    /**
     * What a span's own fields and attributes make (for a span without events, all of it): its
     * request, and its socket row unless one of its events gave that already.
     */
    void spanRows(String service, ByteString traceId, ByteString spanId, String name, boolean server,
        long startNanos, long endNanos, Attributes attrs, int exceptionEvents, boolean socketEvent) {
      if (!socketEvent) {
        sockets.add(service, traceId, spanId, name, server, startNanos, endNanos, attrs);
      }
      String method = server ? attrs.text(SpanKey.METHOD, SpanKey.OLD_METHOD) : null;
      if (method != null) {
        requests.add(toRequest(service, traceId, spanId, name, startNanos, endNanos, attrs, method, exceptionEvents));
      }
    }

    Result result() {
      sockets.addTo(io);
      return new Result(requests, exceptions, io, rejected, reason);
    }
  }

  static boolean validIds(ByteString traceId, ByteString spanId) {
    return traceId.size() == 16 && spanId.size() == 8;
  }

  private static int exceptions(String service, Span span, boolean server, List<ExceptionRecord> out) {
    int counted = 0;
    for (Span.Event event : span.getEventsList()) {
      if (!event.getName().equals(ExceptionEvent.NAME)) {
        continue;
      }
      Attributes e = Attributes.of(event.getAttributesList());
      if (e.flag(ExceptionEvent.DUPLICATE)) {
        continue;
      }
      counted++;
      String type = e.text(ExceptionEvent.TYPE);
      String stack = e.text(ExceptionEvent.STACKTRACE);
      out.add(new ExceptionRecord(0, event.getTimeUnixNano() / 1_000_000, service,
          Fingerprints.of(type, stack), type == null ? "unknown" : type, e.text(ExceptionEvent.MESSAGE), stack,
          Attributes.hex(span.getTraceId()), Attributes.hex(span.getSpanId()), server ? "request" : "span"));
    }
    return counted;
  }

  private static RequestRecord toRequest(String service, ByteString traceId, ByteString spanId, String name,
      long startNanos, long endNanos, Attributes attrs, String method, int exceptionEvents) {
    String path = attrs.text(SpanKey.PATH, SpanKey.OLD_TARGET);
    String query = attrs.text(SpanKey.QUERY);
    if (path != null && path.indexOf('?') >= 0) {
      if (query == null) {
        query = path.substring(path.indexOf('?') + 1);
      }
      path = path.substring(0, path.indexOf('?'));
    }
    String route = attrs.text(SpanKey.ROUTE);
    if (path == null) {
      path = route != null ? route : StorableText.of(name);
    }
    long end = Math.max(endNanos, startNanos);
    int status = (int) attrs.number(0, SpanKey.STATUS, SpanKey.OLD_STATUS);
    String client = attrs.text(SpanKey.CLIENT_ADDRESS, SpanKey.OLD_PEER_ADDRESS, SpanKey.OLD_PEER_IP);
    int exceptionCount = (int) attrs.number(exceptionEvents, SpanKey.EXCEPTION_COUNT);
    int logCount = (int) attrs.number(0, SpanKey.LOG_COUNT);
    Lifting lifting = new Lifting(attrs);
    lifting.sameAs(Key.METHOD, method);
    lifting.sameAs(Key.PATH, path);
    lifting.sameAs(Key.ROUTE, route);
    lifting.sameAs(Key.QUERY, query);
    lifting.sameAs(Key.STATUS, status);
    lifting.sameAs(Key.CLIENT_ADDRESS, client);
    lifting.sameAs(Key.EXCEPTION_COUNT, exceptionCount);
    lifting.sameAs(Key.LOG_COUNT, logCount);
    RequestColumns columns = new RequestColumns(lifting.mask, lifting.text(Key.SCHEME),
        lifting.text(Key.SERVER_ADDRESS), lifting.number(Key.SERVER_PORT), lifting.text(Key.USER_AGENT),
        lifting.text(Key.ERROR_TYPE), lifting.number(Key.SOCKET_IN), lifting.number(Key.SOCKET_OUT),
        lifting.number(Key.SOCKET_CALLS), lifting.number(Key.SOCKET_NANOS), lifting.number(Key.ZERO_COPY_BYTES),
        lifting.number(Key.COPIED_BYTES), lifting.text(Key.IO_VERDICT));
    return new RequestRecord(0, Attributes.hex(traceId), Attributes.hex(spanId), service, method, path, route, query,
        status, (end - startNanos) / 1_000_000.0, startNanos / 1_000_000, client, exceptionCount, logCount,
        attrs.toJson(lifting.leftOut()), columns);
  }

  /**
   * Which of a span's attributes go to {@link RequestColumns} instead of the JSON: each whose last
   * value has the key's type (text, or a whole number); for a key whose column the request row had
   * already, only when that column holds the very value. Earlier duplicates of a lifted key go too
   * (the last one counts, as in the JSON).
   */
  private static final class Lifting {
    private static final Key[] KEYS = Key.values();
    private final Attributes attrs;
    /** For each key (by ordinal), the index of its last attribute, -1 when it has none. */
    private final int[] at = new int[KEYS.length];
    private int candidates;
    int mask;

    Lifting(Attributes attrs) {
      this.attrs = attrs;
      for (Key k : KEYS) {
        int i = attrs.indexOf(SpanKey.of(k));
        at[k.ordinal()] = i;
        if (i >= 0 && (k.number ? attrs.isWhole(i) : attrs.isText(i))) {
          candidates |= k.bit();
        }
      }
      mask = candidates & ~COLUMNED;
    }

    /** Keys whose column the request row had before; see {@link #sameAs}. */
    private static final int COLUMNED = Key.METHOD.bit() | Key.PATH.bit() | Key.ROUTE.bit() | Key.QUERY.bit()
        | Key.STATUS.bit() | Key.CLIENT_ADDRESS.bit() | Key.EXCEPTION_COUNT.bit() | Key.LOG_COUNT.bit();

    /** Lifts text {@code key} when the row's column holds its value. */
    void sameAs(Key key, String column) {
      if ((candidates & key.bit()) != 0 && attrs.textAt(at[key.ordinal()]).equals(column)) {
        mask |= key.bit();
      }
    }

    /** Lifts number {@code key} when the row's column holds its value. */
    void sameAs(Key key, long column) {
      if ((candidates & key.bit()) != 0 && attrs.wholeAt(at[key.ordinal()]) == column) {
        mask |= key.bit();
      }
    }

    String text(Key key) {
      return (mask & key.bit()) != 0 ? attrs.textAt(at[key.ordinal()]) : null;
    }

    long number(Key key) {
      return (mask & key.bit()) != 0 ? attrs.wholeAt(at[key.ordinal()]) : 0;
    }

    /** The indexes of the lifted attributes; null when there are none. */
    boolean[] leftOut() {
      if (mask == 0) {
        return null;
      }
      boolean[] out = new boolean[attrs.size()];
      for (int i = 0; i < out.length; i++) {
        SpanKey k = attrs.spanKey(i);
        out[i] = k != null && k.column != null && (mask & k.column.bit()) != 0;
      }
      return out;
    }
  }
}
