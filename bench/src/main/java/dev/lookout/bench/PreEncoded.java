package dev.lookout.bench;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * OTLP export bodies encoded once and sent many times, so that the load generator costs little next
 * to the collector it shares the two cores with (building each body with the protobuf builders and
 * {@code toByteArray} cost ~15 µs of CPU per span, more than the collector's own).
 *
 * <p>At start, {@link #VARIANTS} whole export requests per service are made by {@link CollectorBench#batch}
 * or {@link CollectorBench#logBatch} (the very spans and log records the agent sends: socket figures,
 * exceptions, headers) and encoded; the offsets of each record's trace id, span id and times in the
 * encoded bytes are found by walking the protobuf once. Per send, a body is a copy of one of its
 * service's templates in which only what must differ between sends is written over, in place and at
 * the same length: the times (record {@code first + i} at its place in the hour, as the builders put
 * it, with the template's sub-millisecond part and duration), the trace id (its epoch second, as the
 * agent's ids carry it, and 12 fresh random bytes) and the span id (8 fresh random bytes). So paths,
 * statuses, durations and attribute values come from a pool of {@code VARIANTS × batch} records per
 * service instead of being drawn anew for each.
 */
final class PreEncoded {

  /** Templates per service (8 services): 16 × 512 spans = 8,192 different spans per service. */
  static final int VARIANTS = 16;

  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HOUR_MILLIS = 3_600_000L;
  /** The templates' window start (2023-11-14). */
  private static final long BASE_MILLIS = 1_700_000_000_000L;

  /** Spans or log records. */
  enum Signal { SPANS, LOGS }

  /** One encoded export and where its records' ids and times are. Arrays are indexed by record, in body order. */
  private record Template(byte[] body, int[] position, int[] traceIdAt, int[] spanIdAt, int[] timeAt, int[] secondTimeAt,
      int[] eventTimeAt, long[] subMillisNanos, long[] durationNanos, int firstError) {}

  private final Signal signal;
  private final int batch;
  private final Template[][] byService;

  /** Encodes {@code VARIANTS} exports of {@code batch} records for each service. */
  PreEncoded(Signal signal, int batch) {
    this.signal = signal;
    this.batch = batch;
    int services = CollectorBench.serviceCount();
    this.byService = new Template[services][VARIANTS];
    int[] filled = new int[services];
    int done = 0;
    SplittableRandom random = new SplittableRandom(4242);
    for (long first = 0; done < services; first += batch) {
      int s = CollectorBench.exportServiceIndex(first);
      if (filled[s] < VARIANTS) {
        byService[s][filled[s]++] = template(random, first, batch);
        if (filled[s] == VARIANTS) {
          done++;
        }
      }
    }
  }

  /**
   * The body of records {@code [first, first + count)} of {@code total} over the hour from
   * {@code windowStart}: a copy of a template of the export's service with fresh ids and these times.
   * A short last batch gets a template of its own size, made for it.
   */
  Body body(SplittableRandom random, long first, int count, long total, long windowStart) {
    Template t = count == batch
        ? byService[CollectorBench.exportServiceIndex(first)][random.nextInt(VARIANTS)]
        : template(random, first, count);
    return new Body(patch(t, random, first, total, windowStart), t.firstError < 0 ? -1 : t.traceIdAt[t.firstError]);
  }

  /** An export's bytes, and where its first failed span's trace id is (-1: none). */
  record Body(byte[] bytes, int firstErrorTraceIdAt) {
    /** The hex trace id of the first failed span (the live probe waits for its event), or null. */
    String firstErrorTraceId() {
      return firstErrorTraceIdAt < 0 ? null
          : HexFormat.of().formatHex(bytes, firstErrorTraceIdAt, firstErrorTraceIdAt + 16);
    }
  }

  private Template template(SplittableRandom random, long first, int count) {
    // built over a total of one record per millisecond from BASE_MILLIS, so a record's time in
    // milliseconds less BASE_MILLIS and first is its position in the export (and no time is 0,
    // which protobuf would leave out)
    byte[] body = signal == Signal.SPANS
        ? CollectorBench.batch(random, first, count, HOUR_MILLIS, BASE_MILLIS).toByteArray()
        : CollectorBench.logBatch(random, first, count, HOUR_MILLIS, BASE_MILLIS).toByteArray();
    Template t = scan(body, first, count);
    check(t, random, first, count);
    return t;
  }

  private static byte[] patch(Template t, SplittableRandom random, long first, long total, long windowStart) {
    byte[] b = t.body.clone();
    int n = t.timeAt.length;
    for (int k = 0; k < n; k++) {
      long millis = windowStart + (first + t.position[k]) * HOUR_MILLIS / total;
      long start = millis * 1_000_000L + t.subMillisNanos[k];
      LONG_LE.set(b, t.timeAt[k], start);
      long second = start + t.durationNanos[k]; // a span's end; a log record's observed time
      LONG_LE.set(b, t.secondTimeAt[k], second);
      if (t.eventTimeAt[k] >= 0) {
        LONG_LE.set(b, t.eventTimeAt[k], second);
      }
      int trace = t.traceIdAt[k];
      int seconds = (int) (millis / 1000); // the agent's trace ids start with their epoch second
      b[trace] = (byte) (seconds >>> 24);
      b[trace + 1] = (byte) (seconds >>> 16);
      b[trace + 2] = (byte) (seconds >>> 8);
      b[trace + 3] = (byte) seconds;
      LONG_LE.set(b, trace + 4, random.nextLong());
      int r = random.nextInt();
      b[trace + 12] = (byte) r;
      b[trace + 13] = (byte) (r >>> 8);
      b[trace + 14] = (byte) (r >>> 16);
      b[trace + 15] = (byte) (r >>> 24);
      LONG_LE.set(b, t.spanIdAt[k], random.nextLong());
    }
    return b;
  }

  /** Patches a copy of the new template and parses it back: every id and time must be where it was written. */
  private void check(Template t, SplittableRandom random, long first, int count) {
    long total = 5_000_000L;
    long windowStart = 1_700_000_000_000L;
    byte[] patched = patch(t, new SplittableRandom(random.nextLong()), first, total, windowStart);
    List<long[]> times = new ArrayList<>(); // start, second time, event time or -1
    List<byte[]> traceIds = new ArrayList<>();
    try {
      if (signal == Signal.SPANS) {
        for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(patched).getResourceSpansList()) {
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span s : ss.getSpansList()) {
              times.add(new long[] {s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
                  s.getEventsCount() > 0 ? s.getEvents(0).getTimeUnixNano() : -1});
              traceIds.add(s.getTraceId().toByteArray());
            }
          }
        }
      } else {
        for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(patched).getResourceLogsList()) {
          for (ScopeLogs sl : rl.getScopeLogsList()) {
            for (LogRecord r : sl.getLogRecordsList()) {
              times.add(new long[] {r.getTimeUnixNano(), r.getObservedTimeUnixNano(), -1});
              traceIds.add(r.getTraceId().toByteArray());
            }
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("a patched export does not parse", e);
    }
    if (times.size() != count) {
      throw new IllegalStateException("template has " + times.size() + " records, expected " + count);
    }
    for (int k = 0; k < count; k++) {
      long millis = windowStart + (first + t.position[k]) * HOUR_MILLIS / total;
      long start = millis * 1_000_000L + t.subMillisNanos[k];
      long[] got = times.get(k);
      long second = start + t.durationNanos[k];
      int seconds = (int) (millis / 1000);
      byte[] id = traceIds.get(k);
      int idSeconds = ((id[0] & 0xff) << 24) | ((id[1] & 0xff) << 16) | ((id[2] & 0xff) << 8) | (id[3] & 0xff);
      if (got[0] != start || got[1] != second || (t.eventTimeAt[k] >= 0 && got[2] != second) || idSeconds != seconds) {
        throw new IllegalStateException("record " + k + " of a patched export is not as written");
      }
    }
  }

  // ---- finding the offsets: a walk over the encoded message, field by field

  /** Where one field's value is: [start, end), and a varint's value. */
  private interface FieldVisitor {
    void field(int number, int wireType, int start, int end, long varint);
  }

  private static void fields(byte[] b, int from, int to, FieldVisitor v) {
    int p = from;
    while (p < to) {
      long key = 0;
      int shift = 0;
      byte x;
      do {
        x = b[p++];
        key |= (long) (x & 0x7f) << shift;
        shift += 7;
      } while (x < 0);
      int number = (int) (key >>> 3);
      int type = (int) (key & 7);
      int start;
      long varint = 0;
      switch (type) {
        case 0 -> {
          start = p;
          shift = 0;
          do {
            x = b[p++];
            varint |= (long) (x & 0x7f) << shift;
            shift += 7;
          } while (x < 0);
        }
        case 1 -> {
          start = p;
          p += 8;
        }
        case 2 -> {
          int len = 0;
          shift = 0;
          do {
            x = b[p++];
            len |= (x & 0x7f) << shift;
            shift += 7;
          } while (x < 0);
          start = p;
          p += len;
        }
        case 5 -> {
          start = p;
          p += 4;
        }
        default -> throw new IllegalStateException("wire type " + type + " at " + p);
      }
      v.field(number, type, start, p, varint);
    }
  }

  /** Collects each record's offsets while walking. */
  private static final class Found {
    final List<int[]> at = new ArrayList<>(); // trace id, span id, time, second time, event time
    final List<long[]> values = new ArrayList<>(); // time, second time
    final List<Boolean> error = new ArrayList<>();
    int[] current;
    long[] currentValues;
    boolean currentError;

    void begin() {
      current = new int[] {-1, -1, -1, -1, -1};
      currentValues = new long[2];
      currentError = false;
    }

    void end() {
      for (int i = 0; i < 4; i++) {
        if (current[i] < 0) {
          throw new IllegalStateException("a record without field " + i);
        }
      }
      at.add(current);
      values.add(currentValues);
      error.add(currentError);
    }
  }

  /**
   * The offsets of every record in an encoded export built for records {@code [first, first + count)}:
   * a record's position is its time in milliseconds from {@link #BASE_MILLIS} minus {@code first}.
   */
  private Template scan(byte[] body, long first, int count) {
    Found found = new Found();
    // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → ScopeSpans.spans(2);
    // the logs export is the same shape: resource_logs(1) → scope_logs(2) → log_records(2)
    fields(body, 0, body.length, (f1, t1, s1, e1, v1) -> {
      if (f1 == 1) {
        fields(body, s1, e1, (f2, t2, s2, e2, v2) -> {
          if (f2 == 2) {
            fields(body, s2, e2, (f3, t3, s3, e3, v3) -> {
              if (f3 == 2) {
                found.begin();
                fields(body, s3, e3, signal == Signal.SPANS ? spanField(body, found) : logField(body, found));
                found.end();
              }
            });
          }
        });
      }
    });
    int n = found.at.size();
    int[] position = new int[n];
    int[] traceIdAt = new int[n];
    int[] spanIdAt = new int[n];
    int[] timeAt = new int[n];
    int[] secondAt = new int[n];
    int[] eventAt = new int[n];
    long[] sub = new long[n];
    long[] duration = new long[n];
    int firstError = -1;
    for (int k = 0; k < n; k++) {
      int[] a = found.at.get(k);
      long[] v = found.values.get(k);
      traceIdAt[k] = a[0];
      spanIdAt[k] = a[1];
      timeAt[k] = a[2];
      secondAt[k] = a[3];
      eventAt[k] = a[4];
      long millis = v[0] / 1_000_000L;
      sub[k] = v[0] - millis * 1_000_000L;
      duration[k] = v[1] - v[0];
      position[k] = (int) (millis - BASE_MILLIS - first);
      if (position[k] < 0 || position[k] >= count) {
        throw new IllegalStateException("record " + k + " at position " + position[k] + " of " + count);
      }
      if (firstError < 0 && found.error.get(k)) {
        firstError = k;
      }
    }
    return new Template(body, position, traceIdAt, spanIdAt, timeAt, secondAt, eventAt, sub, duration, firstError);
  }

  /** Span: trace_id 1, span_id 2, start 7 and end 8 (fixed64), events 11 (time 1), status 15 (code 3; 2 = error). */
  private static FieldVisitor spanField(byte[] body, Found found) {
    return (f, t, s, e, v) -> {
      switch (f) {
        case 1 -> found.current[0] = lengthChecked(s, e, 16);
        case 2 -> found.current[1] = lengthChecked(s, e, 8);
        case 7 -> {
          found.current[2] = s;
          found.currentValues[0] = (long) LONG_LE.get(body, s);
        }
        case 8 -> {
          found.current[3] = s;
          found.currentValues[1] = (long) LONG_LE.get(body, s);
        }
        case 11 -> fields(body, s, e, (ef, et, es, ee, ev) -> {
          if (ef == 1 && found.current[4] < 0) {
            found.current[4] = es;
          }
        });
        case 15 -> fields(body, s, e, (sf, st, ss, se, sv) -> {
          if (sf == 3 && sv == 2) {
            found.currentError = true;
          }
        });
        default -> { }
      }
    };
  }

  /** LogRecord: time 1 and observed time 11 (fixed64), trace_id 9, span_id 10. */
  private static FieldVisitor logField(byte[] body, Found found) {
    return (f, t, s, e, v) -> {
      switch (f) {
        case 1 -> {
          found.current[2] = s;
          found.currentValues[0] = (long) LONG_LE.get(body, s);
        }
        case 11 -> {
          found.current[3] = s;
          found.currentValues[1] = (long) LONG_LE.get(body, s);
        }
        case 9 -> found.current[0] = lengthChecked(s, e, 16);
        case 10 -> found.current[1] = lengthChecked(s, e, 8);
        default -> { }
      }
    };
  }

  private static int lengthChecked(int start, int end, int length) {
    if (end - start != length) {
      throw new IllegalStateException("an id of " + (end - start) + " bytes, expected " + length);
    }
    return start;
  }
}
