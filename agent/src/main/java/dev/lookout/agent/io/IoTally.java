package dev.lookout.agent.io;

import dev.lookout.agent.record.EventFields;
import dev.lookout.protocol.IoEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * I/O events of one unit of work (a request, or one thread's I/O outside requests between two
 * flushes), aggregated per call site, kind, mechanism and verdict. Rare events only (transfers,
 * connects); the hot socket counters live in the bridge. Synchronized: outside requests the owner
 * thread adds while the flusher drains.
 */
final class IoTally {

  /** Connects listed individually per unit at most; beyond, only counted. */
  static final int MAX_CONNECTS = 16;

  /**
   * One aggregated row: the contract's {@code lookout.io} span event. It writes its own attributes on
   * the export thread once the unit handed it to a record (and no longer adds to it).
   */
  static final class Row implements EventFields {
    final String callSite;
    final String kind;
    final String mechanism;
    final String verdict;
    final String reason;
    final String source;
    final String target;
    long calls;
    long bytes;
    long zeroCopyBytes;
    long copiedBytes;
    long nanos;
    /** Of the fields that name the row (not its counts): rows with the same names are one. */
    private final int hash;

    Row(String callSite, String kind, String mechanism, String verdict, String reason, String source, String target) {
      this.callSite = callSite;
      this.kind = kind;
      this.mechanism = mechanism;
      this.verdict = verdict;
      this.reason = reason;
      this.source = source;
      this.target = target;
      int h = Objects.hashCode(callSite);
      h = 31 * h + Objects.hashCode(kind);
      h = 31 * h + Objects.hashCode(mechanism);
      h = 31 * h + Objects.hashCode(verdict);
      h = 31 * h + Objects.hashCode(reason);
      h = 31 * h + Objects.hashCode(source);
      this.hash = 31 * h + Objects.hashCode(target);
    }

    /** Same names (call site, kind, mechanism, verdict, reason, source, target), whatever the counts. */
    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Row)) {
        return false;
      }
      Row r = (Row) o;
      return hash == r.hash && Objects.equals(callSite, r.callSite) && Objects.equals(kind, r.kind)
          && Objects.equals(mechanism, r.mechanism) && Objects.equals(verdict, r.verdict)
          && Objects.equals(reason, r.reason) && Objects.equals(source, r.source)
          && Objects.equals(target, r.target);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    /**
     * Defaults are left out (the collector reads a missing call site as "-", missing byte figures as
     * 0, a missing reason as none), and a socket row's in/out split is not repeated: the span's
     * {@code lookout.io.socket.*} attributes carry it.
     */
    @Override
    public void writeTo(Writer out) {
      out.string(IoEvent.KIND, kind);
      out.integer(IoEvent.CALLS, calls);
      out.integer(IoEvent.BYTES, bytes);
      out.string(IoEvent.MECHANISM, mechanism);
      out.string(IoEvent.VERDICT, verdict);
      out.integer(IoEvent.NANOS, nanos);
      out.string(IoEvent.SOURCE, source);
      out.string(IoEvent.TARGET, target);
      if (!"-".equals(callSite)) {
        out.string(IoEvent.CALL_SITE, callSite);
      }
      if (zeroCopyBytes != 0) {
        out.integer(IoEvent.ZERO_COPY_BYTES, zeroCopyBytes);
      }
      if (copiedBytes != 0) {
        out.integer(IoEvent.COPIED_BYTES, copiedBytes);
      }
      if (reason != null && !reason.isEmpty()) {
        out.string(IoEvent.REASON, reason);
      }
    }

    @Override
    public int size() {
      return 12;
    }

    void add(Row o) {
      calls += o.calls;
      bytes += o.bytes;
      zeroCopyBytes += o.zeroCopyBytes;
      copiedBytes += o.copiedBytes;
      nanos += o.nanos;
    }
  }

  /** One connect attempt. */
  static final class Connect {
    final String address;
    final long nanos;
    final String error;

    Connect(String address, long nanos, String error) {
      this.address = address;
      this.nanos = nanos;
      this.error = error;
    }
  }

  /** Each row is its own key: a row adds its counts to the equal row already there. */
  private Map<Row, Row> rows = new LinkedHashMap<>();
  private List<Connect> connects = new ArrayList<>();
  private long connectCount;
  private long connectFailures;
  /**
   * Something was added since the last drain (written under the lock): a request's drain, which
   * nearly always finds nothing, reads this instead of taking the lock.
   */
  private volatile boolean gathered;

  synchronized void add(Row r) {
    rows.merge(r, r, (a, b) -> {
      a.add(b);
      return a;
    });
    gathered = true;
  }

  synchronized void connect(Connect c) {
    gathered = true;
    connectCount++;
    if (c.error != null) {
      connectFailures++;
    }
    if (connects.size() < MAX_CONNECTS) {
      connects.add(c);
    }
  }

  /** Nothing gathered: shared, never to be changed. */
  static final Drained NOTHING = new Drained(List.of(), List.of(), 0, 0);

  /** What was gathered, and a fresh start. */
  Drained drain() {
    if (!gathered) {
      return NOTHING; // the common case of a request: sockets only, counted in the bridge
    }
    synchronized (this) {
      return drainLocked();
    }
  }

  private Drained drainLocked() {
    gathered = false;
    if (rows.isEmpty() && connectCount == 0) {
      return NOTHING;
    }
    Drained d = new Drained(new ArrayList<>(rows.values()), connects, connectCount, connectFailures);
    rows = new LinkedHashMap<>();
    connects = new ArrayList<>();
    connectCount = 0;
    connectFailures = 0;
    return d;
  }

  static final class Drained {
    final List<Row> rows;
    final List<Connect> connects;
    final long connectCount;
    final long connectFailures;

    Drained(List<Row> rows, List<Connect> connects, long connectCount, long connectFailures) {
      this.rows = rows;
      this.connects = connects;
      this.connectCount = connectCount;
      this.connectFailures = connectFailures;
    }
  }
}
