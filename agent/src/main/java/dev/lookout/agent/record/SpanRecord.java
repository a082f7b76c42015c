package dev.lookout.agent.record;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * One span as the request thread writes it: primitive fields and references to strings the
 * container already made, in a record taken from a pool and given back after export. Nothing here
 * is encoded, redacted or formatted: the export thread does that ({@code export.SpanRecordData}),
 * so recording a request costs a few field writes.
 *
 * <p>Rare things (transfer rows, exceptions, bodies, connects) go to {@link #events} and
 * {@link #extra}, made on first use.
 */
public final class SpanRecord {

  public static final int KIND_SERVER = 0;
  public static final int KIND_INTERNAL = 1;

  // ---- identity and time ----
  public long traceIdHigh;
  public long traceIdLow;
  public long spanId;
  /** 0 when the span has no parent. */
  public long parentSpanId;
  public boolean parentRemote;
  /** False when an incoming traceparent said not sampled: the span is then not exported. */
  public boolean sampled;
  public long startEpochNanos;
  public long endEpochNanos;
  public int kind;
  /** The span name when it is not the HTTP method (INTERNAL spans). */
  public String name;

  // ---- HTTP (SERVER spans); query and headers raw: redacted on the export thread ----
  public String method;
  public String scheme;
  public String serverAddress;
  public int serverPort;
  public String path;
  public String query;
  public String route;
  public String clientAddress;
  public String userAgent;
  /**
   * Name/value pairs as the advice collected them, up to the array's end or the first null name; or
   * null. The arrays stay with the pooled record (handed over from the helper's scratch, which takes the
   * record's emptied ones in their place) and are emptied when it is reset.
   */
  public String[] requestHeaders;
  public String[] responseHeaders;
  /** 0 until the request ended. */
  public int status;
  public String errorType;
  public int logCount;
  public int exceptionCount;

  // ---- I/O summary ----
  public long socketIn;
  public long socketOut;
  public long socketCalls;
  public long socketNanos;
  /** Transfer figures; {@link #ioVerdict} null when the span moved no file bytes. */
  public long zeroCopyBytes;
  public long copiedBytes;
  public String ioVerdict;

  // ---- rare ----
  private final List<EventRecord> events = new ArrayList<>(0);
  /** Whether {@link #events} has any: the list is another object, not read for the many spans without. */
  private boolean hasEvents;
  private AttributesBuilder extra;
  private boolean hasExtra;
  /**
   * The I/O accounting's state for this record's request: kept across reuse (it is made once per
   * pooled record, then reset by its owner), so following a request's I/O allocates nothing.
   */
  public Object ioState;
  /** The body capture's state while the request runs. */
  public Object bodies;
  /** Estimated heap bytes this record holds on to, counted against {@code lookout.buffer.bytes}. */
  public long size;

  /** One span event: {@code exception} events keep their throwable, rendered (and redacted) at export. */
  public static final class EventRecord {
    public final String name;
    public final long epochNanos;
    public final Attributes attributes;
    /** Attributes written on the export thread, after {@link #attributes}; null when none. */
    public final EventFields fields;
    public final Throwable thrown;

    public EventRecord(String name, long epochNanos, Attributes attributes, EventFields fields, Throwable thrown) {
      this.name = name;
      this.epochNanos = epochNanos;
      this.attributes = attributes;
      this.fields = fields;
      this.thrown = thrown;
    }
  }

  public void addEvent(String eventName, long epochNanos, Attributes attributes, Throwable thrown) {
    events.add(new EventRecord(eventName, epochNanos, attributes, null, thrown));
    hasEvents = true;
  }

  /** An event whose attributes {@code fields} writes when it is exported. */
  public void addEvent(String eventName, long epochNanos, EventFields fields) {
    events.add(new EventRecord(eventName, epochNanos, Attributes.empty(), fields, null));
    hasEvents = true;
  }

  public boolean hasEvents() {
    return hasEvents;
  }

  /** The span's events; empty unless {@link #hasEvents}. */
  public List<EventRecord> events() {
    return events;
  }

  /** An attribute outside the fixed fields. */
  public <T> void put(AttributeKey<T> key, T value) {
    if (extra == null) {
      extra = Attributes.builder();
    }
    extra.put(key, value);
    hasExtra = true;
  }

  /** The attributes outside the fixed fields, empty when none. */
  public Attributes extra() {
    return hasExtra ? extra.build() : Attributes.empty();
  }

  /** True for requests kept whatever the sample ratio: they failed. */
  public boolean isError() {
    return errorType != null || status >= 500;
  }

  /** Clears every field for the next use (on the export thread, as the record goes back to its pool). */
  public void reset() {
    traceIdHigh = 0;
    traceIdLow = 0;
    spanId = 0;
    parentSpanId = 0;
    parentRemote = false;
    sampled = true;
    startEpochNanos = 0;
    endEpochNanos = 0;
    kind = KIND_SERVER;
    name = null;
    method = null;
    scheme = null;
    serverAddress = null;
    serverPort = 0;
    path = null;
    query = null;
    route = null;
    clientAddress = null;
    userAgent = null;
    clearPairs(requestHeaders);
    clearPairs(responseHeaders);
    status = 0;
    errorType = null;
    logCount = 0;
    exceptionCount = 0;
    socketIn = 0;
    socketOut = 0;
    socketCalls = 0;
    socketNanos = 0;
    zeroCopyBytes = 0;
    copiedBytes = 0;
    ioVerdict = null;
    if (hasEvents) {
      events.clear();
      hasEvents = false;
    }
    extra = null;
    hasExtra = false;
    bodies = null;
    size = 0;
  }

  /** A rough heap size of what the record references: strings at a byte a character plus headers. */
  public long estimateSize() {
    long n = 256 + len(path) + len(query) + len(route) + len(userAgent) + len(name) + headers(requestHeaders)
        + headers(responseHeaders);
    if (hasEvents) {
      for (EventRecord e : events) {
        n += 128 + throwableSize(e.thrown) + (e.attributes.size() + (e.fields != null ? e.fields.size() : 0)) * 96L;
      }
    }
    if (hasExtra) {
      n += 512;
    }
    return n;
  }

  /** A rendered stack trace's rough size: its messages, and a few KB of frames per cause. */
  public static long throwableSize(Throwable t) {
    long n = 0;
    for (int depth = 0; t != null && depth < 8; t = t.getCause(), depth++) {
      String message = t.getMessage();
      n += 4096 + (message == null ? 0 : 2L * message.length());
    }
    return n;
  }

  private static long len(String s) {
    return s == null ? 0 : 40 + s.length();
  }

  private static long headers(String[] pairs) {
    if (pairs == null) {
      return 0;
    }
    long n = 16;
    for (int i = 0; i < pairs.length && pairs[i] != null; i++) {
      n += 4 + len(pairs[i]);
    }
    return n;
  }

  private static void clearPairs(String[] pairs) {
    if (pairs != null) {
      for (int i = 0; i < pairs.length && pairs[i] != null; i++) {
        pairs[i] = null;
      }
    }
  }
}
