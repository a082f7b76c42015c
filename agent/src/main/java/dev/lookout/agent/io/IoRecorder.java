package dev.lookout.agent.io;

import dev.lookout.protocol.IoEvent;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.trace.RequestObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The I/O accounting: the bridge's delegate (transfers, first file reads, connects), the request
 * observer that turns one request's I/O into attributes and {@code lookout.io} events on its SERVER
 * span, and the flusher that reports I/O outside requests as an INTERNAL {@code lookout.io} span.
 *
 * <p>Verdicts: a transfer whose bytes went through sendfile / copy_file_range is {@code zero-copy}
 * (whatever the target); through a memory map or a heap buffer it is a {@code fallback}. File bytes
 * read into the heap are matched write by write in the bridge: those a plain socket write takes make
 * a {@code candidate} for {@code FileChannel.transferTo}, those handed to the JDK's TLS (JSSE, which
 * always encrypts in user space) are {@code tls-blocked}. A copy loop's row carries the call site of
 * the file read that began it; a new one begins at the first file read after a socket read (the next
 * request or exchange), so two endpoints served by one thread, or a plain and a TLS connection, never
 * share a row. Socket rows are split likewise: bytes that carried TLS records are {@code tls-blocked},
 * the rest plain.
 *
 * <p>The recorder is installed while the agent starts, before the application's {@code main}: transfers
 * made while the OpenTelemetry pipeline is being built are counted, and reported once it is
 * {@linkplain #attach attached}.
 */
public final class IoRecorder extends IoHooks implements RequestObserver {

  static final AttributeKey<Long> CONNECTS = AttributeKey.longKey("lookout.io.connects");
  static final AttributeKey<Long> CONNECT_FAILURES = AttributeKey.longKey("lookout.io.connect_failures");

  /** A connect event's duration ({@code lookout.io} rows write their own attributes: {@link IoTally.Row}). */
  static final AttributeKey<Long> E_NANOS = AttributeKey.longKey(IoEvent.NANOS);
  static final AttributeKey<String> C_ADDRESS = AttributeKey.stringKey("address");
  static final AttributeKey<String> C_ERROR = AttributeKey.stringKey("error");

  /** {@code -Dlookout.io.debug=true}: print each unit's I/O summary on stderr. */
  static final boolean DEBUG = Boolean.getBoolean("lookout.io.debug");

  /** JSSE (sun.security.ssl) is what the bridge sees: the JDK's TLS, always encrypting in user space. */
  static final String JSSE = "JSSE TLS (the JDK's) encrypts in user space: zero-copy impossible";
  static final String TLS_SOCKET_REASON = JSSE + "; these socket bytes carried its records";
  static final String TLS_LOOP_REASON = JSSE + "; file bytes were read into the heap and encrypted"
      + " (kernel TLS, through OpenSSL, could sendfile them)";
  static final String CANDIDATE_REASON = "file bytes read into the heap and written to a plain socket:"
      + " FileChannel.transferTo could send them directly";

  private volatile RecordSink sink;
  /**
   * Null until {@link #attach}: made at premain, the meter's classes (67 of the OpenTelemetry API's)
   * would load on the application's start for a no-op meter.
   */
  private volatile IoMetrics metrics;
  private final long flushMillis;
  /** Linux JDKs from 21 on move file-to-file transfers with copy_file_range (sendfile before). */
  private final boolean copyFileRange;

  public IoRecorder(RecordSink sink, long flushMillis) {
    this(sink, MeterProvider.noop().get("dev.lookout.agent.io"), flushMillis);
  }

  public IoRecorder(RecordSink sink, Meter meter, long flushMillis) {
    this(flushMillis);
    this.sink = sink;
    this.metrics = new IoMetrics(meter);
  }

  /**
   * A recorder without a pipeline yet: it counts from now on (install it in the bridge at once) and
   * keeps what happens outside requests until {@link #attach} gives it somewhere to report.
   */
  public IoRecorder(long flushMillis) {
    this.flushMillis = Math.max(100, flushMillis);
    this.copyFileRange = detectCopyFileRange();
    // Load what the delegate methods use now, not later from inside advice on an application thread.
    CallSites.first();
    IoTally warm = new IoTally();
    warm.add(new IoTally.Row("-", "socket", "user-copy", "none", "", "socket", "socket"));
    warm.connect(new IoTally.Connect("-", 0, null));
    summarize(warm.drain(), new long[SLOTS]).verdict();
    kindOf(this);
  }

  static boolean detectCopyFileRange() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return false;
    }
    try {
      for (Method m : Class.forName("sun.nio.ch.FileChannelImpl").getDeclaredMethods()) {
        if (m.getName().equals("transferFromDirect")) {
          return true;
        }
      }
    } catch (Throwable ignored) {
      // fall through
    }
    return false;
  }

  /** The pipeline is up: report through it from now on, I/O counted before included. */
  public void attach(RecordSink sink, Meter meter) {
    this.metrics = new IoMetrics(meter);
    this.sink = sink;
  }

  /** Starts the daemon thread that reports I/O outside requests. */
  public void startFlusher() {
    Thread t = new Thread(this::flushLoop, "lookout-io-flush");
    t.setDaemon(true);
    t.start();
  }

  // ---- per-request accounting ----

  /**
   * A request's I/O while it runs. It lives in its {@link SpanRecord} ({@code ioState}) and is reused
   * with it, so following a request's I/O allocates nothing; the tally of rare events is made only
   * when a transfer, connect or file read happens.
   */
  static final class RequestIo {
    Counters counters;
    /** Following the request on {@link #counters}' thread now. */
    boolean active;
    /** The request's I/O is followed (started on a counted thread); its figures are reported at the end. */
    boolean tracked;
    final long[] base = new long[SLOTS];
    final long[] delta = new long[SLOTS];
    /** What the request's threads did while followed, summed at each detach (guarded by this). */
    final long[] carried = new long[SLOTS];
    /**
     * Something was added to {@link #carried} since the request started (set under this object's lock).
     * A request followed on its one thread from start to end carries nothing, and takes no lock.
     */
    volatile boolean carriedSome;
    Object previousUnit;
    long[] previousBase;
    IoTally tally;

    synchronized IoTally tally() {
      IoTally t = tally;
      if (t == null) {
        t = new IoTally();
        tally = t;
      }
      return t;
    }
  }

  @Override
  public void started(SpanRecord record) {
    Counters c = IoHooks.current();
    if (c == null || c.off != 0) {
      return;
    }
    RequestIo r = record.ioState instanceof RequestIo ? (RequestIo) record.ioState : new RequestIo();
    record.ioState = r;
    if (r.carriedSome) {
      synchronized (r) {
        java.util.Arrays.fill(r.carried, 0L);
        r.carriedSome = false;
      }
    }
    r.tracked = true;
    attach(r, c);
  }

  /** Makes {@code r} the unit of {@code c}'s thread (the current thread) from now on. */
  private static void attach(RequestIo r, Counters c) {
    if (loopsToClose(c, true)) {
      closeLoops(c, tallyOf(c), true);
    }
    r.counters = c;
    r.active = true;
    if (c.nextLoopReason != null) {
      c.nextLoopReason = null;
    }
    System.arraycopy(c.v, 0, r.base, 0, SLOTS);
    r.previousUnit = c.unit;
    r.previousBase = c.requestBase;
    c.unit = r;
    c.requestBase = r.base;
    c.siteWanted = true;
  }

  /** Undoes {@link #attach} on the current thread, adding what its thread did meanwhile to {@code r.carried}. */
  private static void detach(RequestIo r) {
    release(r);
    long[] delta = r.delta;
    synchronized (r) {
      long[] carried = r.carried;
      for (int i = 0; i < SLOTS; i++) {
        carried[i] += delta[i];
      }
      r.carriedSome = true;
    }
  }

  /** Undoes {@link #attach} on the current thread, leaving what its thread did meanwhile in {@code r.delta}. */
  private static void release(RequestIo r) {
    r.active = false;
    Counters c = r.counters;
    r.counters = null;
    long[] delta = r.delta;
    long[] now = c.v;
    for (int i = 0; i < SLOTS; i++) {
      delta[i] = Math.max(0, now[i] - r.base[i]);
    }
    if (r.previousBase == null) {
      // attributed first, then the base cleared: a concurrent harvest errs low, never counts twice
      for (int i = 0; i < SLOTS; i++) {
        c.attributed[i] += delta[i];
      }
    }
    if (loopsToClose(c, true)) {
      closeLoops(c, r.tally(), true);
    }
    c.requestBase = r.previousBase;
    c.unit = r.previousUnit;
    r.previousBase = null;
    r.previousUnit = null;
    c.siteWanted = true;
  }

  @Override
  public void paused(SpanRecord record) {
    if (record.ioState instanceof RequestIo && ((RequestIo) record.ioState).active) {
      detach((RequestIo) record.ioState);
    }
  }

  /** The request's I/O on another thread (a container's poller sending its file): a unit of its own, merged back. */
  @Override
  public Object borrow(SpanRecord record) {
    if (!(record.ioState instanceof RequestIo) || !((RequestIo) record.ioState).tracked) {
      return null;
    }
    Counters c = IoHooks.current();
    if (c == null || c.off != 0) {
      return null;
    }
    RequestIo lent = new RequestIo();
    attach(lent, c);
    return lent;
  }

  @Override
  public void giveBack(SpanRecord record, Object token) {
    if (!(token instanceof RequestIo) || !(record.ioState instanceof RequestIo)) {
      return;
    }
    RequestIo lent = (RequestIo) token;
    if (lent.active) {
      detach(lent);
    }
    RequestIo r = (RequestIo) record.ioState;
    synchronized (r) {
      for (int i = 0; i < SLOTS; i++) {
        r.carried[i] += lent.carried[i];
      }
      r.carriedSome = true;
    }
    if (lent.tally != null) {
      IoTally.Drained d = lent.tally.drain();
      if (d != IoTally.NOTHING) {
        IoTally t = r.tally();
        for (IoTally.Row row : d.rows) {
          t.add(row);
        }
        for (IoTally.Connect x : d.connects) {
          t.connect(x);
        }
      }
    }
  }

  @Override
  public void ending(SpanRecord record) {
    if (!(record.ioState instanceof RequestIo) || !((RequestIo) record.ioState).tracked) {
      return;
    }
    RequestIo r = (RequestIo) record.ioState;
    boolean here = r.active;
    if (here) {
      release(r); // this thread's part, in delta
    }
    r.tracked = false;
    long[] delta = r.delta;
    if (r.carriedSome) {
      // paused, or partly done on another thread: those parts were carried
      synchronized (r) {
        for (int i = 0; i < SLOTS; i++) {
          delta[i] = (here ? delta[i] : 0) + r.carried[i];
        }
      }
    } else if (!here) {
      java.util.Arrays.fill(delta, 0L);
    }
    IoTally.Drained d = r.tally == null ? IoTally.NOTHING : r.tally.drain();
    if (d == IoTally.NOTHING && delta[TLS_SOCKET] == 0) {
      // plain sockets alone, the common case: the record's figures, nothing allocated
      if (delta[CALLS] > 0) {
        record.socketIn = delta[IN];
        record.socketOut = delta[OUT];
        record.socketCalls = delta[CALLS];
        record.socketNanos = delta[NANOS];
        IoMetrics m = metrics;
        if (m != null) {
          m.socketBytes(delta[IN], delta[OUT]);
        }
      }
      return;
    }
    Summary s = summarize(d, delta);
    if (s.rows.isEmpty() && s.connects.isEmpty()) {
      return;
    }
    IoMetrics m = metrics;
    if (m != null) {
      m.record(s);
    }
    RecordSink k = sink;
    s.applyTo(record, k != null ? k.epochNanos() : System.currentTimeMillis() * 1_000_000L);
  }

  // ---- the bridge's delegate ----

  @Override
  protected void transfer(Counters c, boolean to, long bytes, long nanos, Object self, Object other,
      int mechanism, boolean tls, Throwable thrown) {
    if (bytes == 0 && thrown == null) {
      // nothing moved (position past the end, count 0, a non-blocking target that was full): a call
      // that moved no byte is no transfer, as a sendfile answering 0 or EAGAIN moved none
      return;
    }
    ChannelClass otherClass = other != null ? CHANNEL_CLASSES.get(other.getClass()) : null;
    String otherKind = otherClass != null ? otherClass.kind : "other";
    String source = to ? "file" : otherKind;
    String target = to ? otherKind : "file";
    String mech;
    switch (mechanism) {
      case MECH_DIRECT:
        // transferFrom's direct path exists only where copy_file_range does; transferTo uses it for files
        mech = !to || ("file".equals(otherKind) && copyFileRange) ? "copy_file_range" : "sendfile";
        break;
      case MECH_MMAP:
        mech = "mmap";
        break;
      default:
        mech = "user-copy";
    }
    String verdict;
    String reason;
    if (thrown != null) {
      verdict = "fallback";
      reason = "failed: " + thrown.getClass().getName();
    } else if (mechanism == MECH_DIRECT) {
      // the kernel moved the bytes: zero-copy, whatever the target (a kernel-TLS socket can take sendfile)
      verdict = "zero-copy";
      reason = "sendfile".equals(mech) ? MOVED_BY_SENDFILE : MOVED_BY_COPY_FILE_RANGE;
    } else if (tls) {
      verdict = "tls-blocked";
      reason = JSSE + "; the target handed the file bytes to it through a heap buffer";
    } else if ("tls".equals(otherKind)) {
      verdict = "tls-blocked";
      reason = otherClass.tlsTarget;
    } else if (mechanism == MECH_MMAP) {
      verdict = "fallback";
      reason = "no direct transfer " + (to ? "to a " + otherKind + " target" : "from a " + otherKind + " source")
          + ": the file was memory-mapped and written";
    } else if ("other".equals(otherKind)) {
      verdict = "fallback";
      reason = otherClass == null ? (to ? "target" : "source") + " null" + NOT_A_JDK_CHANNEL
          : to ? otherClass.otherTarget : otherClass.otherSource;
    } else {
      verdict = "fallback";
      reason = "no direct or mapped transfer " + (to ? "to this " + otherKind : "from this " + otherKind)
          + (bytes < 16 * 1024 && copyFileRange ? " (under 16 KiB)" : "") + ": copied through a heap buffer";
    }
    // the site the application's woven call set; a framework's or the JDK's call is walked to its site
    String site = c.callSite != null ? c.callSite : CallSites.first();
    IoTally.Row row = new IoTally.Row(site, to ? "transferTo" : "transferFrom", mech, verdict, reason, source,
        target);
    row.calls = 1;
    row.bytes = bytes;
    row.nanos = nanos;
    if (mechanism == MECH_DIRECT && thrown == null) {
      row.zeroCopyBytes = bytes;
    } else {
      row.copiedBytes = bytes;
    }
    tallyOf(c).add(row);
  }

  /**
   * The first file read after a socket read (or since the unit began): the copy loop so far ends, and
   * the bytes matched from here on belong to the call site of this read.
   */
  @Override
  protected void firstFileRead(Counters c) {
    c.siteWanted = false;
    // the site the application's woven read set; a framework's or the JDK's read is walked to its site
    String site = c.readSite != null ? c.readSite : CallSites.first();
    IoTally tally = tallyOf(c);
    closeLoops(c, tally, true);
    c.site = site;
    c.loopReason = c.nextLoopReason;
    c.nextLoopReason = null;
  }

  static final String TOMCAT_NO_SENDFILE = "Tomcat's DefaultServlet copied the file through the heap: the"
      + " connector offers no sendfile (useSendfile=false, or TLS)";
  static final String TOMCAT_SENDFILE_REFUSED = "Tomcat's DefaultServlet copied the file through the heap:"
      + " sendfile refused for this response (a wrapped request or response, or a resource that is no plain file)";

  /** Tomcat sets {@code org.apache.tomcat.sendfile.support} on requests of connectors that can sendfile. */
  @Override
  protected String noSendfileReason(Object request) {
    Object support = null;
    try {
      support = request.getClass().getMethod("getAttribute", String.class)
          .invoke(request, "org.apache.tomcat.sendfile.support");
    } catch (ReflectiveOperationException | RuntimeException e) {
      // unknown: the generic reason
    }
    return Boolean.TRUE.equals(support) ? TOMCAT_SENDFILE_REFUSED : TOMCAT_NO_SENDFILE;
  }

  /** Indexes into {@link Counters#loopReported}. */
  private static final int PLAIN_REPORTED = 0;
  private static final int TLS_REPORTED = 1;
  private static final int PLAIN_COUNTED = 2;
  private static final int TLS_COUNTED = 3;

  /**
   * Moves the copy-loop bytes the bridge matched since the last report into {@code tally}, as rows of
   * the current loop's call site: the plain ones a {@code candidate}, the TLS ones {@code tls-blocked}.
   * A loop counts one call, however many reports its bytes take; {@code ends} closes it. Called by the
   * owner thread (a new loop, a request's start and end) and by the flusher (outside requests).
   */
  /**
   * Whether {@link #closeLoops} has anything to do, read without its lock: a request's start and end
   * ask it every time, and almost never has a loop to close. Reported figures only grow toward the
   * loop counters, so a stale read can only send it to the lock for nothing.
   */
  static boolean loopsToClose(Counters c, boolean ends) {
    long[] r = c.loopReported;
    return c.loopPlain != r[PLAIN_REPORTED] || c.loopTls != r[TLS_REPORTED]
        || (ends && (r[PLAIN_COUNTED] != 0 || r[TLS_COUNTED] != 0));
  }

  static void closeLoops(Counters c, IoTally tally, boolean ends) {
    synchronized (c.loopReported) {
      long[] r = c.loopReported;
      Object at = c.site;
      String site = at instanceof String ? (String) at : "-";
      long plain = c.loopPlain - r[PLAIN_REPORTED];
      if (plain > 0) {
        String container = c.loopReason;
        IoTally.Row loop = container != null
            ? new IoTally.Row(site, "copy-loop", "user-copy", "fallback", container, "file", "socket")
            : new IoTally.Row(site, "copy-loop", "user-copy", "candidate", CANDIDATE_REASON, "file", "socket");
        loop.calls = r[PLAIN_COUNTED] == 0 ? 1 : 0;
        loop.bytes = plain;
        loop.copiedBytes = plain;
        tally.add(loop);
        r[PLAIN_REPORTED] += plain;
        r[PLAIN_COUNTED] = 1;
      }
      long tls = c.loopTls - r[TLS_REPORTED];
      if (tls > 0) {
        IoTally.Row loop = new IoTally.Row(site, "copy-loop", "user-copy", "tls-blocked", TLS_LOOP_REASON, "file",
            "tls");
        loop.calls = r[TLS_COUNTED] == 0 ? 1 : 0;
        loop.bytes = tls;
        loop.copiedBytes = tls;
        tally.add(loop);
        r[TLS_REPORTED] += tls;
        r[TLS_COUNTED] = 1;
      }
      if (ends) {
        r[PLAIN_COUNTED] = 0;
        r[TLS_COUNTED] = 0;
        if (c.loopReason != null) {
          c.loopReason = null;
        }
      }
    }
  }

  @Override
  protected void connect(Counters c, Object address, long nanos, Throwable thrown) {
    tallyOf(c).connect(new IoTally.Connect(String.valueOf(address), nanos,
        thrown == null ? null : thrown.getClass().getName() + (thrown.getMessage() == null ? ""
            : ": " + thrown.getMessage())));
  }

  private static IoTally tallyOf(Counters c) {
    Object unit = c.unit;
    if (unit instanceof RequestIo) {
      return ((RequestIo) unit).tally();
    }
    return outside(c).tally;
  }

  /** A thread's I/O outside requests, between two flushes. */
  static final class OutsideIo {
    final IoTally tally = new IoTally();
    final long[] harvested = new long[SLOTS];
  }

  private static OutsideIo outside(Counters c) {
    Object o = c.outside;
    if (o instanceof OutsideIo) {
      return (OutsideIo) o;
    }
    synchronized (c) {
      if (!(c.outside instanceof OutsideIo)) {
        c.outside = new OutsideIo();
      }
      return (OutsideIo) c.outside;
    }
  }

  static String kindOf(Object channel) {
    return channel == null ? "other" : CHANNEL_CLASSES.get(channel.getClass()).kind;
  }

  private static String kindOfClass(Class<?> type) {
    if (FileChannel.class.isAssignableFrom(type)) {
      return "file";
    }
    if (SocketChannel.class.isAssignableFrom(type)) {
      return "socket";
    }
    if (Pipe.SinkChannel.class.isAssignableFrom(type) || Pipe.SourceChannel.class.isAssignableFrom(type)) {
      return "pipe";
    }
    String name = type.getName().toLowerCase(Locale.ROOT);
    return name.contains("ssl") || name.contains("tls") ? "tls" : "other";
  }

  private static final String MOVED_BY_SENDFILE = "moved by the kernel (sendfile)";
  private static final String MOVED_BY_COPY_FILE_RANGE = "moved by the kernel (copy_file_range)";
  private static final String NOT_A_JDK_CHANNEL = " is not a JDK file, socket or pipe channel: copied through a heap buffer";

  /**
   * What the class of a transfer's other channel says in its row: its kind, and the reasons that name
   * it, made once a class rather than once a transfer (a server sending a file per request transfers
   * per request).
   */
  private static final class ChannelClass {
    final String kind;
    final String tlsTarget;
    final String otherTarget;
    final String otherSource;

    ChannelClass(Class<?> type) {
      kind = kindOfClass(type);
      String name = type.getName();
      tlsTarget = "target " + name + " is TLS in user space (not a kernel socket): copied through a"
          + " heap buffer and encrypted, zero-copy impossible";
      otherTarget = "target " + name + NOT_A_JDK_CHANNEL;
      otherSource = "source " + name + NOT_A_JDK_CHANNEL;
    }
  }

  private static final ClassValue<ChannelClass> CHANNEL_CLASSES = new ClassValue<ChannelClass>() {
    @Override
    protected ChannelClass computeValue(Class<?> type) {
      return new ChannelClass(type);
    }
  };

  // ---- summaries ----

  /** What one unit of work reports. */
  static final class Summary {
    final List<IoTally.Row> rows = new ArrayList<>();
    final List<IoTally.Connect> connects = new ArrayList<>();
    long socketIn;
    long socketOut;
    long socketCalls;
    long socketNanos;
    long connectCount;
    long connectFailures;
    /**
     * Some socket bytes carried TLS records: the socket rows (plain and TLS) go as events, since the
     * collector makes no row of the socket attributes of a span that has a socket event.
     */
    boolean socketEvents;

    long zeroCopyBytes() {
      long n = 0;
      for (IoTally.Row r : rows) {
        n += r.zeroCopyBytes;
      }
      return n;
    }

    long copiedBytes() {
      long n = 0;
      for (IoTally.Row r : rows) {
        n += r.copiedBytes;
      }
      return n;
    }

    /** candidate > tls-blocked (file bytes) > fallback > zero-copy > none. */
    String verdict() {
      boolean candidate = false;
      boolean tls = false;
      boolean fallback = false;
      boolean zero = false;
      for (IoTally.Row r : rows) {
        if ("socket".equals(r.kind)) {
          continue;
        }
        switch (r.verdict) {
          case "candidate": candidate = true; break;
          case "tls-blocked": tls = true; break;
          case "fallback": fallback = true; break;
          case "zero-copy": zero = true; break;
          default: break;
        }
      }
      return candidate ? "candidate" : tls ? "tls-blocked" : fallback ? "fallback" : zero ? "zero-copy" : "none";
    }

    void applyTo(SpanRecord record, long epochNanos) {
      if (DEBUG) {
        StringBuilder b = new StringBuilder("[lookout] io ")
            .append(Long.toHexString(record.traceIdHigh)).append(Long.toHexString(record.traceIdLow));
        for (IoTally.Row r : rows) {
          b.append("\n  ").append(r.kind).append(' ').append(r.callSite).append(' ').append(r.mechanism).append(' ')
              .append(r.verdict).append(" calls=").append(r.calls).append(" bytes=").append(r.bytes)
              .append(" zero=").append(r.zeroCopyBytes).append(" copied=").append(r.copiedBytes).append(' ')
              .append(r.source).append("->").append(r.target).append(" (").append(r.reason).append(')');
        }
        for (IoTally.Connect c : connects) {
          b.append("\n  connect ").append(c.address).append(' ').append(c.nanos / 1000).append("us ")
              .append(c.error == null ? "" : c.error).append(" on ").append(Thread.currentThread().getName());
        }
        System.err.println(b);
      }
      long zero = zeroCopyBytes();
      long copied = copiedBytes();
      String verdict = verdict();
      // Sockets alone (most requests): no transfer figures to report; the collector reads their absence
      // as zero bytes and verdict "none".
      if (zero != 0 || copied != 0 || !"none".equals(verdict)) {
        record.zeroCopyBytes = zero;
        record.copiedBytes = copied;
        record.ioVerdict = verdict;
      }
      if (socketCalls > 0) {
        record.socketIn = socketIn;
        record.socketOut = socketOut;
        record.socketCalls = socketCalls;
        record.socketNanos = socketNanos;
      }
      if (connectCount > 0) {
        record.put(CONNECTS, connectCount);
        record.put(CONNECT_FAILURES, connectFailures);
      }
      for (IoTally.Row r : rows) {
        if (!plainSocket(r) || socketEvents) {
          record.addEvent(IoEvent.NAME, epochNanos, r);
        }
      }
      for (IoTally.Connect c : connects) {
        AttributesBuilder a = Attributes.builder().put(C_ADDRESS, c.address).put(E_NANOS, c.nanos);
        if (c.error != null) {
          a.put(C_ERROR, c.error);
        }
        record.addEvent("lookout.io.connect", epochNanos, a.build(), null);
      }
    }
  }

  /**
   * Plain (not TLS) socket traffic: the span's {@code lookout.io.socket.*} attributes say all of it,
   * and the collector makes its row from them. Nearly every request has such a row, and an event
   * for it cost an attribute set on the agent's side and the collector's fast decode path.
   */
  static boolean plainSocket(IoTally.Row r) {
    return "socket".equals(r.kind) && "none".equals(r.verdict);
  }

  /**
   * Rows of a unit: its transfers and copy loops (gathered in its tally), and its socket totals, split
   * into the bytes that carried TLS records and the plain rest.
   */
  static Summary summarize(IoTally.Drained d, long[] delta) {
    Summary s = new Summary();
    s.rows.addAll(d.rows);
    s.connects.addAll(d.connects);
    s.connectCount = d.connectCount;
    s.connectFailures = d.connectFailures;
    s.socketIn = delta[IN];
    s.socketOut = delta[OUT];
    s.socketCalls = delta[CALLS];
    s.socketNanos = delta[NANOS];
    long bytes = delta[IN] + delta[OUT];
    long tlsBytes = Math.min(delta[TLS_SOCKET], bytes);
    long tlsCalls = Math.min(delta[TLS_CALLS], delta[CALLS]);
    long tlsNanos = Math.min(delta[TLS_NANOS], delta[NANOS]);
    if (delta[CALLS] - tlsCalls > 0 || bytes - tlsBytes > 0) {
      IoTally.Row socket = new IoTally.Row("-", "socket", "user-copy", "none", "", "socket", "socket");
      socket.calls = delta[CALLS] - tlsCalls;
      socket.bytes = bytes - tlsBytes;
      socket.nanos = delta[NANOS] - tlsNanos;
      s.rows.add(socket);
    }
    if (tlsBytes > 0) {
      IoTally.Row socket = new IoTally.Row("-", "socket", "user-copy", "tls-blocked", TLS_SOCKET_REASON, "socket",
          "socket");
      socket.calls = tlsCalls;
      socket.bytes = tlsBytes;
      socket.nanos = tlsNanos;
      s.rows.add(socket);
      s.socketEvents = true;
    }
    return s;
  }

  // ---- I/O outside requests ----

  private void flushLoop() {
    IoHooks.ownThread();
    long last = System.currentTimeMillis();
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(flushMillis);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.currentTimeMillis();
      try {
        flushOutside(last, now);
      } catch (Throwable ignored) {
        // keep reporting
      }
      last = now;
    }
  }

  /** Harvests every thread's I/O outside requests and reports it as one INTERNAL span. */
  void flushOutside(long fromMillis, long toMillis) {
    RecordSink sink = this.sink;
    IoMetrics metrics = this.metrics;
    if (sink == null || metrics == null) {
      return; // not attached yet: the counters keep everything for the first flush
    }
    Map<IoTally.Row, IoTally.Row> merged = new LinkedHashMap<>();
    Summary total = new Summary();
    for (Counters c : IoHooks.all()) {
      Thread t = c.thread.get();
      boolean dead = t == null || !t.isAlive();
      OutsideIo o = outside(c);
      long[] base = c.requestBase;
      long[] cumulative = base != null ? base : c.v;
      long[] delta = new long[SLOTS];
      boolean any = false;
      for (int i = 0; i < SLOTS; i++) {
        long outsideSoFar = cumulative[i] - c.attributed[i];
        delta[i] = Math.max(0, outsideSoFar - o.harvested[i]);
        o.harvested[i] = Math.max(o.harvested[i], outsideSoFar);
        any |= delta[i] != 0;
      }
      if (base == null && !(c.unit instanceof RequestIo)) {
        closeLoops(c, o.tally, dead);
      }
      IoTally.Drained d = o.tally.drain();
      if (dead) {
        IoHooks.forget(c);
      }
      if (!any && d.rows.isEmpty() && d.connectCount == 0) {
        continue;
      }
      Summary s = summarize(d, delta);
      metrics.record(s);
      total.socketEvents |= s.socketEvents;
      for (IoTally.Row r : s.rows) {
        merged.merge(r, r, (a, b) -> {
          a.add(b);
          return a;
        });
      }
      total.socketIn += s.socketIn;
      total.socketOut += s.socketOut;
      total.socketCalls += s.socketCalls;
      total.socketNanos += s.socketNanos;
      total.connectCount += s.connectCount;
      total.connectFailures += s.connectFailures;
      for (IoTally.Connect x : s.connects) {
        if (total.connects.size() < IoTally.MAX_CONNECTS) {
          total.connects.add(x);
        }
      }
    }
    if (merged.isEmpty() && total.connects.isEmpty()) {
      return;
    }
    total.rows.addAll(merged.values());
    SpanRecord span = sink.span();
    span.kind = SpanRecord.KIND_INTERNAL;
    span.name = "lookout.io";
    span.startEpochNanos = fromMillis * 1_000_000L;
    span.traceIdHigh = TraceIds.newTraceIdHigh(span.startEpochNanos);
    span.traceIdLow = TraceIds.newId();
    span.spanId = TraceIds.newId();
    span.endEpochNanos = toMillis * 1_000_000L;
    total.applyTo(span, span.endEpochNanos);
    sink.submit(span);
  }
}
