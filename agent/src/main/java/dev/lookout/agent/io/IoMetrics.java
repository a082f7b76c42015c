package dev.lookout.agent.io;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@code lookout.io.*} metrics: bytes by the path that moved them, fallbacks by reason and
 * copy-loop candidates, for every service whether or not anyone looks at its spans. Fed once per
 * unit of work (a request that did I/O, or a flush window outside requests), never per read or write.
 */
final class IoMetrics {

  static final String ZERO_COPY_BYTES = "lookout.io.zero_copy.bytes";
  static final String COPIED_BYTES = "lookout.io.copied.bytes";
  static final String FALLBACKS = "lookout.io.fallbacks";
  static final String CANDIDATES = "lookout.io.copy_loop.candidates";
  static final String SOCKET_BYTES = "lookout.io.socket.bytes";

  private static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("mechanism");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("kind");
  private static final AttributeKey<String> VERDICT = AttributeKey.stringKey("verdict");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");
  private static final Attributes IN = Attributes.of(DIRECTION, "in");
  private static final Attributes OUT = Attributes.of(DIRECTION, "out");

  private final LongCounter zeroCopyBytes;
  private final LongCounter copiedBytes;
  private final LongCounter fallbacks;
  private final LongCounter candidates;
  /** Socket bytes in and out, summed where they are counted and read when metrics are collected. */
  private final LongAdder socketIn = new LongAdder();
  private final LongAdder socketOut = new LongAdder();
  /** Attribute sets by their values, one cache per counter: a handful of combinations, built once each. */
  private final Map<String, Attributes> byMechanism = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Attributes>> byKindAndVerdict = new ConcurrentHashMap<>();
  private final Map<String, Attributes> byReason = new ConcurrentHashMap<>();

  IoMetrics(Meter meter) {
    zeroCopyBytes = meter.counterBuilder(ZERO_COPY_BYTES).setUnit("By")
        .setDescription("Bytes the kernel moved directly (sendfile, copy_file_range)").build();
    copiedBytes = meter.counterBuilder(COPIED_BYTES).setUnit("By")
        .setDescription("File-transfer and copy-loop bytes that went through memory instead").build();
    fallbacks = meter.counterBuilder(FALLBACKS).setUnit("{call}")
        .setDescription("Transfers that did not take the direct path, by reason").build();
    candidates = meter.counterBuilder(CANDIDATES).setUnit("{loop}")
        .setDescription("Copy loops that moved file bytes to a plain socket through the heap").build();
    meter.counterBuilder(SOCKET_BYTES).setUnit("By")
        .setDescription("Bytes read from and written to sockets").buildWithCallback(m -> {
          m.record(socketIn.sum(), IN);
          m.record(socketOut.sum(), OUT);
        });
  }

  void record(IoRecorder.Summary s) {
    for (IoTally.Row r : s.rows) {
      if ("socket".equals(r.kind)) {
        continue; // counted below from the unit's totals
      }
      if (r.zeroCopyBytes > 0) {
        zeroCopyBytes.add(r.zeroCopyBytes, byMechanism.computeIfAbsent(r.mechanism, v -> Attributes.of(MECHANISM, v)));
      }
      if (r.copiedBytes > 0) {
        copiedBytes.add(r.copiedBytes, kindAndVerdict(r.kind, r.verdict));
      }
      if ("copy-loop".equals(r.kind)) {
        if ("candidate".equals(r.verdict) && r.calls > 0) {
          candidates.add(r.calls);
        }
      } else if (!"zero-copy".equals(r.verdict)) {
        fallbacks.add(r.calls, byReason.computeIfAbsent(fallbackReason(r), v -> Attributes.of(REASON, v)));
      }
    }
    socketBytes(s.socketIn, s.socketOut);
  }

  /** A unit's socket bytes: two additions, no lookup, nothing allocated (a request's hot path). */
  void socketBytes(long in, long out) {
    if (in > 0) {
      socketIn.add(in);
    }
    if (out > 0) {
      socketOut.add(out);
    }
  }

  /** A low-cardinality reason (the row's own reason names classes and call sites). */
  static String fallbackReason(IoTally.Row r) {
    if ("tls-blocked".equals(r.verdict)) {
      return "tls";
    }
    if (r.reason != null && r.reason.startsWith("failed")) {
      return "failed";
    }
    if ("mmap".equals(r.mechanism)) {
      return "mapped";
    }
    return "other".equals(r.target) || "other".equals(r.source) ? "foreign-channel" : "heap-copy";
  }

  /** Looked up without building a key or a capturing lambda: this runs as a request ends. */
  private Attributes kindAndVerdict(String kind, String verdict) {
    Map<String, Attributes> byVerdict = byKindAndVerdict.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
    Attributes a = byVerdict.get(verdict);
    if (a == null) {
      a = Attributes.of(KIND, kind, VERDICT, verdict);
      byVerdict.putIfAbsent(verdict, a);
    }
    return a;
  }
}
