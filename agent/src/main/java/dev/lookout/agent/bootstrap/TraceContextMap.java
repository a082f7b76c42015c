package dev.lookout.agent.bootstrap;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A log event's context map (Logback's MDC property map) with the current span's {@code trace_id} and
 * {@code span_id} in it: the event's own map seen through, the two ids answered from fields. Logback
 * asks every event for its map before an appender writes it, whatever the pattern; a copy into a new
 * {@code HashMap} per event was ~190 B and two puts. Lookups ({@code %X{trace_id}}) read a field; a
 * whole-map read (a JSON encoder, {@code %X}) makes the copy once. Read-only, as Logback's own maps
 * are; serialized as a plain map. JDK types only: a bootstrap bridge class.
 */
public final class TraceContextMap extends AbstractMap<String, String> implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  private final Map<String, String> base;
  private final String traceId;
  private final String spanId;
  private transient Map<String, String> whole;

  private TraceContextMap(Map<String, String> base, String traceId, String spanId) {
    this.base = base;
    this.traceId = traceId;
    this.spanId = spanId;
  }

  /** {@code base} (null: none) with the ids in it; {@code base}'s own ids give way to them. */
  public static Map<String, String> of(Map<String, String> base, String traceId, String spanId) {
    return new TraceContextMap(base == null ? Collections.emptyMap() : base, traceId, spanId);
  }

  @Override
  public String get(Object key) {
    if (TRACE_ID.equals(key)) {
      return traceId;
    }
    if (SPAN_ID.equals(key)) {
      return spanId;
    }
    return base.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return TRACE_ID.equals(key) || SPAN_ID.equals(key) || base.containsKey(key);
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public int size() {
    return base.size() + 2 - (base.containsKey(TRACE_ID) ? 1 : 0) - (base.containsKey(SPAN_ID) ? 1 : 0);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    return whole().entrySet();
  }

  private Map<String, String> whole() {
    Map<String, String> w = whole;
    if (w == null) {
      Map<String, String> copy = new HashMap<>(base);
      copy.put(TRACE_ID, traceId);
      copy.put(SPAN_ID, spanId);
      w = Collections.unmodifiableMap(copy);
      whole = w;
    }
    return w;
  }

  /** Serialized (Logback's socket appenders) as the plain map it stands for. */
  private Object writeReplace() {
    return new HashMap<>(whole());
  }
}
