package dev.lookout.agent.export;

import dev.lookout.protocol.LogAttributes;
import dev.lookout.protocol.SpanAttributes;
import dev.lookout.agent.record.EventFields;
import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.trace.ExceptionEvents;
import dev.lookout.agent.trace.HeaderCapture;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records straight to OTLP protobuf ({@code ExportTraceServiceRequest}, {@code ExportLogsServiceRequest}),
 * on the export thread: no span object, attribute map or id string in between. The resource and the
 * fixed attribute keys are encoded once; query, headers, messages and exception text are redacted on
 * the way. Figures that say nothing (zero counts, no socket I/O) are left out; the collector reads
 * their absence as zero. Field numbers are those of opentelemetry-proto's {@code trace/v1},
 * {@code logs/v1}, {@code common/v1} and {@code resource/v1}.
 */
final class OtlpEncoder {

  // KeyValue, AnyValue
  private static final int KV_KEY = 1;
  private static final int KV_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ARRAY_VALUES = 1;
  // Span
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_PARENT_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_EVENTS = 11;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  private static final int EVENT_TIME = 1;
  private static final int EVENT_NAME = 2;
  private static final int EVENT_ATTRIBUTES = 3;
  private static final int STATUS_CODE = 3;
  private static final int STATUS_ERROR = 2;
  private static final int KIND_INTERNAL = 1;
  private static final int KIND_SERVER = 2;
  /** Sampled, with the "is remote" bits of {@code SpanFlags}: known, and whether the parent is remote. */
  private static final int FLAGS_LOCAL_PARENT = 0x101;
  private static final int FLAGS_REMOTE_PARENT = 0x301;
  // Log record
  private static final int LOG_TIME = 1;
  private static final int LOG_SEVERITY_NUMBER = 2;
  private static final int LOG_SEVERITY_TEXT = 3;
  private static final int LOG_BODY = 5;
  private static final int LOG_ATTRIBUTES = 6;
  private static final int LOG_FLAGS = 8;
  private static final int LOG_TRACE_ID = 9;
  private static final int LOG_SPAN_ID = 10;
  private static final int LOG_OBSERVED_TIME = 11;
  private static final int[] SEVERITY_NUMBERS = {0, 1, 5, 9, 13, 17};
  private static final String[] SEVERITY_TEXTS = {"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"};
  // Export requests
  private static final int REQUEST_RESOURCE = 1;
  private static final int RESOURCE_SCOPE = 2;
  private static final int SCOPE_SCOPE = 1;
  private static final int SCOPE_ITEMS = 2;
  private static final int SCOPE_NAME = 1;

  static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey(LogAttributes.THREAD_NAME);
  static final AttributeKey<String> SOURCE = AttributeKey.stringKey(LogAttributes.EXCEPTION_SOURCE);

  private static final byte[] METHOD = key(SpanKeys.METHOD);
  private static final byte[] PATH = key(SpanKeys.PATH);
  private static final byte[] QUERY = key(SpanKeys.QUERY);
  private static final byte[] SCHEME = key(SpanKeys.SCHEME);
  private static final byte[] ROUTE = key(SpanKeys.ROUTE);
  private static final byte[] SERVER_ADDRESS = key(SpanKeys.SERVER_ADDRESS);
  private static final byte[] SERVER_PORT = key(SpanKeys.SERVER_PORT);
  private static final byte[] CLIENT_ADDRESS = key(SpanKeys.CLIENT_ADDRESS);
  private static final byte[] USER_AGENT = key(SpanKeys.USER_AGENT);
  private static final byte[] STATUS = key(SpanKeys.STATUS);
  private static final byte[] ERROR_TYPE = key(SpanKeys.ERROR_TYPE);
  private static final byte[] LOG_COUNT = key(SpanKeys.LOG_COUNT);
  private static final byte[] EXCEPTION_COUNT = key(SpanKeys.EXCEPTION_COUNT);
  private static final byte[] ZERO_COPY_BYTES = key(SpanKeys.ZERO_COPY_BYTES);
  private static final byte[] COPIED_BYTES = key(SpanKeys.COPIED_BYTES);
  private static final byte[] VERDICT = key(SpanKeys.VERDICT);
  private static final byte[] SOCKET_IN = key(SpanKeys.SOCKET_IN);
  private static final byte[] SOCKET_OUT = key(SpanKeys.SOCKET_OUT);
  private static final byte[] SOCKET_CALLS = key(SpanKeys.SOCKET_CALLS);
  private static final byte[] SOCKET_NANOS = key(SpanKeys.SOCKET_NANOS);
  private static final byte[] THREAD = key(THREAD_NAME);

  /**
   * One attribute's last value and its whole encoded KeyValue. Request after request most values repeat
   * (method, scheme, addresses, user agent, route, most headers): a repeat costs an {@code equals} and
   * one copy instead of a UTF-8 encoding into a new array and the nested lengths.
   */
  private static final class LastValue {
    String value;
    byte[] encoded;
  }

  /**
   * One side's header pairs as last encoded, with their encoding. Request after request a container
   * sends the same headers, mostly as the same strings (its constants; a date made once a second):
   * the whole side is then one copy after a comparison of references, where each header alone costs
   * a lookup and the check for repeats. What comes out depends on the pairs alone (names give the
   * attribute and whether the value is masked), so the same pairs may take the same bytes.
   */
  private static final class HeaderBlock {
    private String[] pairs = new String[16];
    private int length;
    private byte[] encoded = new byte[512];
    private int size;

    /** Whether {@code p} (up to its end or its first null name) holds the pairs kept here. */
    boolean repeats(String[] p) {
      int i = 0;
      for (; i + 1 < p.length && p[i] != null; i += 2) {
        if (i >= length || !same(p[i], pairs[i]) || !same(p[i + 1], pairs[i + 1])) {
          return false;
        }
      }
      return i == length;
    }

    /** Keeps {@code p} and what was written for them into {@code w} from {@code start}. */
    void keep(String[] p, ProtoWriter w, int start) {
      int n = 0;
      while (n + 1 < p.length && p[n] != null) {
        n += 2;
      }
      if (pairs.length < n) {
        pairs = new String[n];
      }
      System.arraycopy(p, 0, pairs, 0, n);
      if (n < length) {
        java.util.Arrays.fill(pairs, n, length, null); // the container's strings are not held longer than needed
      }
      length = n;
      int bytes = w.size() - start;
      if (encoded.length < bytes) {
        encoded = new byte[bytes];
      }
      System.arraycopy(w.array(), start, encoded, 0, bytes);
      size = bytes;
    }
  }

  /** Length bytes reserved for a span or log record (128 B to 16 KiB) and a batch's wrappers (16 KiB to 2 MiB). */
  private static final int SPAN_RESERVE = 2;
  private static final int BATCH_RESERVE = 3;

  /** Writes an event's own fields as its attributes, into the request being built. */
  private final class EventFieldWriter implements EventFields.Writer {
    @Override
    public void string(String key, String value) {
      if (value == null) {
        return;
      }
      int kv = w.begin(EVENT_ATTRIBUTES);
      w.stringField(KV_KEY, key);
      int any = w.begin(KV_VALUE);
      w.stringField(ANY_STRING, value);
      w.end(any);
      w.end(kv);
    }

    @Override
    public void integer(String key, long value) {
      int kv = w.begin(EVENT_ATTRIBUTES);
      w.stringField(KV_KEY, key);
      int any = w.begin(KV_VALUE);
      w.varintField(ANY_INT, value);
      w.end(any);
      w.end(kv);
    }
  }

  private final EventFieldWriter eventFields = new EventFieldWriter();

  /** {@link #header}, made once: a method reference written at the call is a new object per span. */
  private final HeaderCapture.Visitor headerField = this::header;
  private final LastValue method = new LastValue();
  private final LastValue path = new LastValue();
  private final LastValue scheme = new LastValue();
  private final LastValue serverAddress = new LastValue();
  private final LastValue clientAddress = new LastValue();
  private final LastValue userAgent = new LastValue();
  private final LastValue route = new LastValue();
  /** By header attribute name (the same instance request after request); bounded. */
  private final Map<String, LastValue> headerValues = new java.util.IdentityHashMap<>();
  private final HeaderBlock requestBlock = new HeaderBlock();
  private final HeaderBlock responseBlock = new HeaderBlock();
  /**
   * The span name's field for the method and route it was made of. Compared by content, as the other
   * repeating values are: a container may make its method string anew for each request (Jetty hands
   * out constants, others need not), and the name is then still encoded only when it changes.
   */
  private String nameMethod;
  private String nameRoute;
  private byte[] nameField;

  private final Redactor redactor;
  private final HeaderCapture requestHeaders;
  private final HeaderCapture responseHeaders;
  /** The {@code resource} field of a ResourceSpans / ResourceLogs, encoded once. */
  private final byte[] resource;
  /** The {@code scope} field of the agent's ScopeSpans, encoded once. */
  private final byte[] scope;
  /** Spans are encoded into {@code w}; the request taken last is {@code wSent}'s until the next take. */
  private ProtoWriter w = new ProtoWriter();
  private ProtoWriter wSent = new ProtoWriter();

  OtlpEncoder(Attributes resourceAttributes, String scopeName, Redactor redactor) {
    this.redactor = redactor;
    this.requestHeaders = new HeaderCapture(SpanAttributes.REQUEST_HEADER_PREFIX, redactor);
    this.responseHeaders = new HeaderCapture(SpanAttributes.RESPONSE_HEADER_PREFIX, redactor);
    this.resource = ProtoWriter.encode(p -> {
      int m = p.begin(REQUEST_RESOURCE);
      attributes(p, 1, resourceAttributes);
      p.end(m);
    });
    this.scope = ProtoWriter.encode(p -> {
      int m = p.begin(SCOPE_SCOPE);
      p.stringField(SCOPE_NAME, scopeName);
      p.end(m);
    });
  }

  private static byte[] key(AttributeKey<?> key) {
    return ProtoWriter.encode(p -> p.stringField(KV_KEY, key.getKey()));
  }

  // ---- traces ----

  private int spanCount;
  private int resourceSpansMark;
  private int scopeSpansMark;

  /** Spans encoded since the last {@link #takeSpans}. */
  int spanCount() {
    return spanCount;
  }

  /** Bytes of the spans request being built. */
  int spanBytes() {
    return spanCount == 0 ? 0 : w.size();
  }

  /**
   * Encodes one span into the request being built, at once, so that its record can go back to the
   * pool while it is still in the cache (a batch's records would be cold by the time it is sent).
   */
  void addSpan(SpanRecord r) {
    if (spanCount == 0) {
      w.reset();
      resourceSpansMark = w.begin(1, BATCH_RESERVE);
      w.raw(resource);
      scopeSpansMark = w.begin(RESOURCE_SCOPE, BATCH_RESERVE);
      w.raw(scope);
    }
    int before = w.size();
    try {
      span(r);
    } catch (RuntimeException e) {
      w.truncate(before); // half a span would make the whole request unreadable
      throw e;
    }
    spanCount++;
  }

  /**
   * The {@code ExportTraceServiceRequest} of the spans added since the last call (all of this agent's
   * resource and scope), in a writer of its own: valid until the next call but one, which encodes
   * into it again. The caller waits for that request's answer before taking the next.
   */
  ProtoWriter takeSpans() {
    if (spanCount == 0) {
      return null;
    }
    w.end(scopeSpansMark, BATCH_RESERVE);
    w.end(resourceSpansMark, BATCH_RESERVE);
    spanCount = 0;
    ProtoWriter taken = w;
    w = wSent;
    wSent = taken;
    return taken;
  }

  private void span(SpanRecord r) {
    int span = w.begin(SCOPE_ITEMS, SPAN_RESERVE);
    w.idField(SPAN_TRACE_ID, r.traceIdHigh, r.traceIdLow, true);
    w.idField(SPAN_SPAN_ID, 0, r.spanId, false);
    if (r.parentSpanId != 0) {
      w.idField(SPAN_PARENT_ID, 0, r.parentSpanId, false);
    }
    boolean server = r.kind == SpanRecord.KIND_SERVER;
    if (!server) {
      w.stringField(SPAN_NAME, r.name);
    } else {
      if (nameField != null && same(r.method, nameMethod) && same(r.route, nameRoute)) {
        w.raw(nameField);
      } else {
        int start = w.size();
        w.stringField(SPAN_NAME, r.route != null ? r.method + " " + r.route : r.method);
        nameMethod = r.method;
        nameRoute = r.route;
        nameField = w.copyFrom(start);
      }
    }
    w.varintField(SPAN_KIND, server ? KIND_SERVER : KIND_INTERNAL);
    w.fixed64Field(SPAN_START, r.startEpochNanos);
    w.fixed64Field(SPAN_END, Math.max(r.endEpochNanos, r.startEpochNanos));
    if (server) {
      attribute(METHOD, r.method, method);
      attribute(PATH, r.path, path);
      attribute(SCHEME, r.scheme, scheme);
      attribute(SERVER_ADDRESS, r.serverAddress, serverAddress);
      integer(SPAN_ATTRIBUTES, SERVER_PORT, r.serverPort);
      attribute(CLIENT_ADDRESS, r.clientAddress, clientAddress);
      if (r.query != null) {
        string(SPAN_ATTRIBUTES, QUERY, redactor.query(r.query));
      }
      attribute(USER_AGENT, r.userAgent, userAgent);
      attribute(ROUTE, r.route, route);
      if (r.requestHeaders != null) {
        headers(r.requestHeaders, requestHeaders, requestBlock);
      }
      if (r.responseHeaders != null) {
        headers(r.responseHeaders, responseHeaders, responseBlock);
      }
      integer(SPAN_ATTRIBUTES, STATUS, r.status);
      string(SPAN_ATTRIBUTES, ERROR_TYPE, r.errorType);
      if (r.logCount > 0) {
        integer(SPAN_ATTRIBUTES, LOG_COUNT, r.logCount);
      }
      if (r.exceptionCount > 0) {
        integer(SPAN_ATTRIBUTES, EXCEPTION_COUNT, r.exceptionCount);
      }
    }
    if (r.ioVerdict != null) {
      integer(SPAN_ATTRIBUTES, ZERO_COPY_BYTES, r.zeroCopyBytes);
      integer(SPAN_ATTRIBUTES, COPIED_BYTES, r.copiedBytes);
      string(SPAN_ATTRIBUTES, VERDICT, r.ioVerdict);
    }
    if (r.socketCalls > 0) {
      if (r.socketIn > 0) {
        integer(SPAN_ATTRIBUTES, SOCKET_IN, r.socketIn);
      }
      if (r.socketOut > 0) {
        integer(SPAN_ATTRIBUTES, SOCKET_OUT, r.socketOut);
      }
      integer(SPAN_ATTRIBUTES, SOCKET_CALLS, r.socketCalls);
      integer(SPAN_ATTRIBUTES, SOCKET_NANOS, r.socketNanos);
    }
    attributes(w, SPAN_ATTRIBUTES, r.extra());
    if (r.hasEvents()) {
      events(r);
    }
    if (server && r.status >= 500) {
      int status = w.begin(SPAN_STATUS);
      w.varintField(STATUS_CODE, STATUS_ERROR);
      w.end(status);
    }
    w.tag(SPAN_FLAGS, ProtoWriter.FIXED32);
    w.fixed32(r.parentRemote ? FLAGS_REMOTE_PARENT : FLAGS_LOCAL_PARENT);
    w.end(span, SPAN_RESERVE);
  }

  private void events(SpanRecord r) {
    for (SpanRecord.EventRecord e : r.events()) {
      int event = w.begin(SPAN_EVENTS);
      w.fixed64Field(EVENT_TIME, e.epochNanos);
      w.stringField(EVENT_NAME, e.name);
      if (e.thrown != null) {
        attributes(w, EVENT_ATTRIBUTES, ExceptionEvents.addTo(Attributes.builder(), e.thrown, redactor).build());
      }
      attributes(w, EVENT_ATTRIBUTES, e.attributes);
      if (e.fields != null) {
        e.fields.writeTo(eventFields);
      }
      w.end(event);
    }
  }

  /** One side's headers: the bytes of the last span's when its pairs repeat, else header by header. */
  private void headers(String[] pairs, HeaderCapture capture, HeaderBlock last) {
    if (last.repeats(pairs)) {
      w.raw(last.encoded, last.size);
      return;
    }
    int start = w.size();
    capture.forEach(pairs, headerField);
    last.keep(pairs, w, start);
  }

  private void header(String attribute, String[] pairs, int first, boolean secret) {
    boolean single = true;
    for (int j = first + 2; j + 1 < pairs.length && pairs[j] != null && single; j += 2) {
      single = !HeaderCapture.sameHeader(pairs, first, j);
    }
    LastValue last = single ? headerValues.get(attribute) : null;
    String value = single ? HeaderCapture.value(pairs, first, secret) : null;
    if (last != null && (value == last.value || value.equals(last.value))) {
      w.raw(last.encoded);
      return;
    }
    int start = w.size();
    int kv = w.begin(SPAN_ATTRIBUTES);
    w.stringField(KV_KEY, attribute);
    int any = w.begin(KV_VALUE);
    int array = w.begin(ANY_ARRAY);
    for (int j = first; j + 1 < pairs.length && pairs[j] != null; j += 2) {
      if (HeaderCapture.sameHeader(pairs, first, j)) {
        int item = w.begin(ARRAY_VALUES);
        w.stringField(ANY_STRING, HeaderCapture.value(pairs, j, secret));
        w.end(item);
      }
    }
    w.end(array);
    w.end(any);
    w.end(kv);
    if (single) {
      if (last == null && headerValues.size() < 256) {
        last = new LastValue();
        headerValues.put(attribute, last);
      }
      if (last != null) {
        last.value = value;
        last.encoded = w.copyFrom(start);
      }
    }
  }

  // ---- logs ----

  /** Encoded log records by logger name (each becomes one scope), reused request after request. */
  private final Map<String, ProtoWriter> logsByLogger = new LinkedHashMap<>();
  /** Log requests are assembled alternately in these two (see {@link #takeLogs}). */
  private ProtoWriter logRequest = new ProtoWriter();
  private ProtoWriter logSent = new ProtoWriter();
  private int logCount;
  private int logBytes;

  int logCount() {
    return logCount;
  }

  /** Bytes of the log records encoded since the last {@link #takeLogs} (their wrappers not counted). */
  int logBytes() {
    return logBytes;
  }

  /** Encodes one log record at once, into its logger's scope of the request being built. */
  void addLog(LogEventRecord r) {
    String logger = r.logger == null || r.logger.isEmpty() ? "root" : r.logger;
    ProtoWriter into = logsByLogger.get(logger);
    if (into == null) {
      into = new ProtoWriter(1024);
      logsByLogger.put(logger, into);
    }
    int before = into.size();
    try {
      log(into, r);
    } catch (RuntimeException e) {
      into.truncate(before);
      throw e;
    }
    logBytes += into.size() - before;
    logCount++;
  }

  /**
   * An {@code ExportLogsServiceRequest} of the records added since the last call, one scope per logger
   * name; valid, as {@link #takeSpans}'s, until the next call but one.
   */
  ProtoWriter takeLogs() {
    if (logCount == 0) {
      return null;
    }
    ProtoWriter p = logRequest;
    logRequest = logSent;
    logSent = p;
    p.reset();
    int resourceLogs = p.begin(1, BATCH_RESERVE);
    p.raw(resource);
    for (Map.Entry<String, ProtoWriter> e : logsByLogger.entrySet()) {
      ProtoWriter records = e.getValue();
      if (records.size() == 0) {
        continue;
      }
      int scopeLogs = p.begin(RESOURCE_SCOPE, BATCH_RESERVE);
      int scopeField = p.begin(SCOPE_SCOPE);
      p.stringField(SCOPE_NAME, e.getKey());
      p.end(scopeField);
      p.raw(records);
      p.end(scopeLogs, BATCH_RESERVE);
      records.reset();
    }
    p.end(resourceLogs, BATCH_RESERVE);
    if (logsByLogger.size() > 256) {
      logsByLogger.clear(); // loggers named per request (say, by id) do not pile up
    }
    logCount = 0;
    logBytes = 0;
    return p;
  }

  private void log(ProtoWriter w, LogEventRecord r) {
    int record = w.begin(SCOPE_ITEMS, SPAN_RESERVE);
    long nanos = r.epochMillis * 1_000_000L;
    w.fixed64Field(LOG_TIME, nanos);
    w.fixed64Field(LOG_OBSERVED_TIME, nanos);
    int level = Math.max(0, Math.min(r.level, SEVERITY_NUMBERS.length - 1));
    w.varintField(LOG_SEVERITY_NUMBER, SEVERITY_NUMBERS[level]);
    w.stringField(LOG_SEVERITY_TEXT, SEVERITY_TEXTS[level]);
    int body = w.begin(LOG_BODY);
    w.stringField(ANY_STRING, r.message == null ? "" : redactor.message(r.message));
    w.end(body);
    string(w, LOG_ATTRIBUTES, THREAD, r.threadName);
    if (r.thrown != null) {
      Attributes exception = ExceptionEvents.addTo(Attributes.builder(), r.thrown, redactor)
          .put(SOURCE, r.source == null ? LogEventRecord.SOURCE_LOG : r.source)
          .build();
      attributes(w, LOG_ATTRIBUTES, exception);
      if (r.duplicate) {
        attributes(w, LOG_ATTRIBUTES, Attributes.of(ExceptionEvents.DUPLICATE_KEY, true));
      }
    }
    if (r.spanId != 0) {
      w.tag(LOG_FLAGS, ProtoWriter.FIXED32);
      w.fixed32(1);
      w.idField(LOG_TRACE_ID, r.traceIdHigh, r.traceIdLow, true);
      w.idField(LOG_SPAN_ID, 0, r.spanId, false);
    }
    w.end(record, SPAN_RESERVE);
  }

  // ---- attributes ----

  private void string(int field, byte[] key, String value) {
    string(w, field, key, value);
  }

  private static boolean same(String a, String b) {
    return a == b || (a != null && a.equals(b));
  }

  /** A span attribute whose value tends to repeat: see {@link LastValue}. */
  private void attribute(byte[] key, String value, LastValue last) {
    if (value == null) {
      return;
    }
    if (value == last.value || value.equals(last.value)) {
      w.raw(last.encoded);
      return;
    }
    int start = w.size();
    string(w, SPAN_ATTRIBUTES, key, value);
    last.value = value;
    last.encoded = w.copyFrom(start);
  }

  private static void string(ProtoWriter w, int field, byte[] key, String value) {
    if (value == null) {
      return;
    }
    int kv = w.begin(field);
    w.raw(key);
    int any = w.begin(KV_VALUE);
    w.stringField(ANY_STRING, value);
    w.end(any);
    w.end(kv);
  }

  private void integer(int field, byte[] key, long value) {
    int kv = w.begin(field);
    w.raw(key);
    int any = w.begin(KV_VALUE);
    w.varintField(ANY_INT, value);
    w.end(any);
    w.end(kv);
  }

  /** Attributes of any type the agent makes: strings, longs, booleans, doubles and string lists. */
  private static void attributes(ProtoWriter p, int field, Attributes attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    attributes.forEach((k, v) -> {
      int kv = p.begin(field);
      p.stringField(KV_KEY, k.getKey());
      int any = p.begin(KV_VALUE);
      value(p, v);
      p.end(any);
      p.end(kv);
    });
  }

  private static void value(ProtoWriter p, Object v) {
    if (v instanceof String) {
      p.stringField(ANY_STRING, (String) v);
    } else if (v instanceof Boolean) {
      p.varintField(ANY_BOOL, (Boolean) v ? 1 : 0);
    } else if (v instanceof Long || v instanceof Integer) {
      p.varintField(ANY_INT, ((Number) v).longValue());
    } else if (v instanceof Double) {
      p.tag(ANY_DOUBLE, ProtoWriter.FIXED64);
      p.fixed64(Double.doubleToRawLongBits((Double) v));
    } else if (v instanceof List) {
      int array = p.begin(ANY_ARRAY);
      for (Object item : (List<?>) v) {
        int any = p.begin(ARRAY_VALUES);
        value(p, item);
        p.end(any);
      }
      p.end(array);
    } else {
      p.stringField(ANY_STRING, String.valueOf(v));
    }
  }
}
