package dev.lookout.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bridge from advice inlined into the JDK's socket, file-channel, file-stream and TLS classes to
 * the agent's I/O accounting. Bootstrap-loaded, JDK types only.
 *
 * <p>The hot path (a socket read or write) is a thread-local lookup and a few additions to a
 * preallocated per-thread {@link Counters}: no allocation, no locking. Everything rarer (a file
 * transfer, the first heap read of a file in a unit of work, a connect) goes to the agent's
 * {@link #delegate}, which may allocate. Every entry point swallows what the agent throws.
 *
 * <p>The agent's own threads (the exporter's, which use {@code java.net.http} socket channels) are
 * never counted: a thread created while {@link #markAgentThreads} was on inherits the mark.
 */
public abstract class IoHooks {

  /** Indexes into {@link Counters#v}. */
  public static final int IN = 0;
  public static final int OUT = 1;
  public static final int CALLS = 2;
  public static final int NANOS = 3;
  /** Bytes read from files into the heap (stream reads, channel reads), outside file transfers. */
  public static final int FILE = 4;
  /** Plaintext bytes handed to TLS (SSLEngine.wrap, SSLSocket output). */
  public static final int TLS = 5;
  /**
   * Socket bytes (in and out, part of {@link #IN} and {@link #OUT}) that carried TLS records: written or
   * read by an SSLSocket's record layer, or produced by SSLEngine.wrap and then written, or consumed by
   * SSLEngine.unwrap.
   */
  public static final int TLS_SOCKET = 6;
  /** Socket calls (part of {@link #CALLS}) that moved TLS records, and their time (part of {@link #NANOS}). */
  public static final int TLS_CALLS = 7;
  public static final int TLS_NANOS = 8;
  public static final int SLOTS = 9;

  /** The largest TLS record (16 KiB of plaintext plus header, padding and tag). */
  static final long MAX_TLS_RECORD = 16 * 1024 + 2048;

  /** Which internal path of FileChannelImpl moved the bytes of the current transfer. */
  public static final int MECH_UNKNOWN = 0;
  public static final int MECH_DIRECT = 1;
  public static final int MECH_MMAP = 2;
  public static final int MECH_USER_COPY = 3;

  /** False until the agent installed a delegate; advice costs one volatile read until then. */
  public static volatile boolean enabled;
  private static volatile IoHooks delegate;

  /** Set (inherited by threads created meanwhile) on threads that belong to the agent. */
  private static final InheritableThreadLocal<Boolean> AGENT_THREAD = new InheritableThreadLocal<>();
  private static final PerThread<Counters> COUNTERS = new PerThread<>();
  /** Every application thread that did I/O; the agent harvests and prunes it. */
  private static final ConcurrentLinkedQueue<Counters> ALL = new ConcurrentLinkedQueue<>();

  /** One thread's cumulative I/O. Written by its thread only (except the fields marked otherwise). */
  public static final class Counters {
    /** Cumulative figures, indexed by {@link #IN} … {@link #TLS}. */
    public final long[] v = new long[SLOTS];
    /** Part of {@link #v} already attributed to finished requests (written at request end). */
    public final long[] attributed = new long[SLOTS];
    /** {@link #v} when the current request started, or null outside requests. */
    public volatile long[] requestBase;
    /** The request's I/O state while a request is current on this thread (agent-side object). */
    public volatile Object unit;
    /** The agent's record of this thread's I/O outside requests (agent-side object). */
    public volatile Object outside;
    /** The agent wants the call site of the next heap file read (start of a unit of work). */
    public volatile boolean siteWanted = true;
    /** Not recorded: an agent thread, or agent code running on this thread. */
    public int off;
    public final boolean agentThread;
    public final WeakReference<Thread> thread;
    int fileDepth;
    int transferDepth;
    public long transferStart;
    /**
     * The site of the file transfer the application's woven call ({@link IoSites}) is making on this
     * thread, or null: the transfer recorded meanwhile names it without a stack walk.
     */
    public String callSite;
    /**
     * The site of the application's woven read ({@link IoSites#nextRead}) that is about to run on this
     * thread, set while the agent wants the site of the next file read: that read takes it (and clears
     * it) in {@link #fileEnter} or {@link #fileExit}, whether it counts or not.
     */
    public String readSite;
    public long transferTls;
    public int mechanism;
    /**
     * File bytes read into the heap on this thread and not yet written anywhere: the next plain socket
     * write, or the next plaintext hand-off to TLS, takes them. A plain socket read (the next request or
     * exchange) drops what is left: those bytes were not a copy to a socket.
     *
     * <p>Limits, both erring low, never toward a wrong verdict: file bytes read on one thread and written
     * by another are not matched, and a selector thread that reads another connection between a partial
     * non-blocking write and the rest of it drops the rest.
     */
    public long pendingFile;
    /** Inside an SSLSocket's record layer: socket reads and writes here carry TLS records. */
    public int tlsRecordDepth;
    /** Bytes SSLEngine.wrap produced on this thread that no socket write has taken yet. */
    public long wrappedPending;
    /** Bytes plain socket reads brought in that no SSLEngine.unwrap has consumed (as TLS records) yet. */
    public long readUnclaimed;
    /**
     * Cumulative file bytes a plain socket write took ({@code loopPlain}, a copy loop that
     * {@code FileChannel.transferTo} could replace) and that a TLS plaintext hand-off took
     * ({@code loopTls}). Written by this thread only; the agent reads them.
     */
    public long loopPlain;
    public long loopTls;
    /** Agent-side: the call site of the current copy loop; what of its figures the agent reported, and whether it counted it. */
    public volatile Object site;
    public final long[] loopReported = new long[4];
    /**
     * Set by container advice when the container itself chose to copy a file through the heap (Tomcat's
     * DefaultServlet without sendfile): why. The next copy loop on this thread takes it as a fallback of
     * the container rather than a candidate of the application ({@code loopReason} while it lasts).
     */
    public volatile String nextLoopReason;
    public volatile String loopReason;

    Counters(Thread t, boolean agentThread) {
      this.thread = new WeakReference<>(t);
      this.agentThread = agentThread;
      this.off = agentThread ? 1 : 0;
    }
  }

  /**
   * Initializes this class and loads what its hot path touches, on the installing thread, before any
   * advice can call it: a class initialized lazily from inside advice (say, a file read under a
   * class loader's jar lock) could deadlock against another thread loading classes.
   */
  public static void prepare() {
    Counters probe = new Counters(Thread.currentThread(), true);
    ALL.add(probe);
    ALL.remove(probe);
    for (Counters c : ALL) {
      c.off += 0;
    }
    AGENT_THREAD.get();
    COUNTERS.get();
    ignoredFile("x.jar");
  }

  public static void install(IoHooks hooks) {
    delegate = hooks;
    enabled = hooks != null;
  }

  /**
   * Names prefixes of agent threads that cannot inherit the mark: {@code java.net.http} creates its
   * selector and worker threads without inheriting thread locals ({@code HttpClient-<id>-…}).
   */
  private static volatile String[] agentThreadPrefixes = new String[0];
  private static java.util.Set<String> threadsBeforeMark = java.util.Collections.emptySet();

  /**
   * Threads created by this thread while on inherit the agent mark; the current thread is marked too.
   * HttpClient threads started meanwhile (which do not inherit) are recognised by name when turned off.
   */
  public static void markAgentThreads(boolean on) {
    if (on) {
      AGENT_THREAD.set(Boolean.TRUE);
      threadsBeforeMark = liveThreadNames();
    } else {
      AGENT_THREAD.remove();
      java.util.List<String> prefixes = new java.util.ArrayList<>(java.util.Arrays.asList(agentThreadPrefixes));
      for (String name : liveThreadNames()) {
        if (!threadsBeforeMark.contains(name) && name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
          prefixes.add(name.substring(0, name.length() - "SelectorManager".length()));
        }
      }
      agentThreadPrefixes = prefixes.toArray(new String[0]);
    }
    Counters c = COUNTERS.get();
    if (c != null && !c.agentThread) {
      c.off = on ? 1 : 0;
    }
  }

  /**
   * The current thread belongs to the agent for good (the thread that builds the pipeline while the
   * application already runs): none of its I/O is counted, whatever it marks or unmarks later.
   */
  public static void ownThread() {
    Counters c = COUNTERS.get();
    if (c == null || !c.agentThread) {
      if (c != null) {
        ALL.remove(c);
      }
      COUNTERS.set(new Counters(Thread.currentThread(), true));
    }
  }

  private static java.util.Set<String> liveThreadNames() {
    java.util.Set<String> names = new java.util.HashSet<>();
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() * 2 + 16];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      names.add(threads[i].getName());
    }
    return names;
  }

  private static boolean isAgentThread(Thread t) {
    if (AGENT_THREAD.get() != null) {
      return true;
    }
    String name = t.getName();
    for (String p : agentThreadPrefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The agent's own work begins on the application's thread (weaving a class that thread loads, which
   * reads the weave cache's files): its I/O is not the application's until {@link #agentWorkDone}.
   * Returns what to hand to {@link #agentWorkDone}; never throws.
   */
  public static Counters agentWork() {
    if (!enabled) {
      return null; // nothing is counted
    }
    try {
      Counters c = current();
      if (c != null) {
        c.off++;
      }
      return c;
    } catch (Throwable t) {
      return null;
    }
  }

  /** The agent's work that {@link #agentWork} began is done. */
  public static void agentWorkDone(Counters c) {
    if (c != null) {
      c.off--;
    }
  }

  /** Whether the current thread is the agent's (its pipeline, its embedded collector): never recorded. */
  public static boolean onAgentThread() {
    Counters c = COUNTERS.get();
    return c != null ? c.agentThread : isAgentThread(Thread.currentThread());
  }

  /** This thread's counters (created on first use), or null for agent threads. */
  public static Counters current() {
    Counters c = COUNTERS.get();
    if (c == null) {
      boolean agent = isAgentThread(Thread.currentThread());
      c = new Counters(Thread.currentThread(), agent);
      COUNTERS.set(c);
      if (!agent) {
        ALL.add(c);
      }
    }
    return c.agentThread ? null : c;
  }

  /** The counters of all application threads that did I/O; dead threads' are removed by the agent. */
  public static Iterable<Counters> all() {
    return ALL;
  }

  public static void forget(Counters c) {
    ALL.remove(c);
  }

  // ---- socket hot path ----

  public static long start() {
    return enabled ? System.nanoTime() : 0L;
  }

  public static void socketRead(long start, long n) {
    if (start == 0L) {
      return;
    }
    try {
      Counters c = current();
      if (c == null || c.off != 0) {
        return;
      }
      long[] v = c.v;
      long nanos = System.nanoTime() - start;
      v[CALLS]++;
      v[NANOS] += nanos;
      if (n > 0) {
        v[IN] += n;
        if (c.tlsRecordDepth != 0) {
          v[TLS_SOCKET] += n;
          v[TLS_CALLS]++;
          v[TLS_NANOS] += nanos;
        } else {
          // what earlier reads left unclaimed counts only up to a partial TLS record (16 KiB + overhead)
          c.readUnclaimed = Math.min(c.readUnclaimed, MAX_TLS_RECORD) + n;
        }
        // a new exchange: file bytes read and not written by now were no copy to a socket
        c.pendingFile = 0;
        if (!c.siteWanted) {
          c.siteWanted = true;
        }
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /**
   * A socket write of {@code n} bytes. It carries TLS records when an SSLSocket's record layer makes it,
   * or (up to what is pending) when SSLEngine.wrap produced its bytes; what is left is plain, and takes
   * the file bytes read into the heap and not yet written: a copy loop to this plain socket.
   */
  public static void socketWrite(long start, long n) {
    if (start == 0L) {
      return;
    }
    try {
      Counters c = current();
      if (c == null || c.off != 0) {
        return;
      }
      long[] v = c.v;
      long nanos = System.nanoTime() - start;
      v[CALLS]++;
      v[NANOS] += nanos;
      if (n <= 0) {
        return;
      }
      v[OUT] += n;
      long plain = n;
      if (c.tlsRecordDepth != 0) {
        plain = 0;
      } else if (c.wrappedPending > 0) {
        plain = n - Math.min(n, c.wrappedPending);
        c.wrappedPending -= n - plain;
      }
      if (plain != n) {
        v[TLS_SOCKET] += n - plain;
        v[TLS_CALLS]++;
        v[TLS_NANOS] += nanos;
      }
      long pending = c.pendingFile;
      if (plain > 0 && pending > 0 && c.transferDepth == 0) {
        long m = Math.min(pending, plain);
        c.pendingFile = pending - m;
        c.loopPlain += m;
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** A connect finished (or failed, {@code thrown} non-null). */
  public static void connected(long start, Object address, Throwable thrown) {
    if (start == 0L) {
      return;
    }
    IoHooks hooks = delegate;
    Counters c;
    try {
      c = current();
      if (hooks == null || c == null || c.off != 0) {
        return;
      }
    } catch (Throwable t) {
      return;
    }
    c.off++;
    try {
      hooks.connect(c, address, System.nanoTime() - start, thrown);
    } catch (Throwable ignored) {
      // never into the application
    } finally {
      c.off--;
    }
  }

  // ---- TLS ----

  /**
   * {@code n} plaintext bytes were handed to the JDK's TLS (JSSE) on this thread: they take the file
   * bytes read into the heap and not yet written, a copy loop that TLS keeps in user space.
   */
  public static void tls(long n) {
    if (!enabled || n <= 0) {
      return;
    }
    try {
      Counters c = current();
      if (c != null && c.off == 0) {
        c.v[TLS] += n;
        long pending = c.pendingFile;
        if (pending > 0 && c.transferDepth == 0) {
          long m = Math.min(pending, n);
          c.pendingFile = pending - m;
          c.loopTls += m;
        }
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** SSLEngine.wrap consumed {@code consumed} plaintext bytes and produced {@code produced} record bytes. */
  public static void tlsWrapped(long consumed, long produced) {
    tls(consumed);
    if (!enabled || produced <= 0) {
      return;
    }
    try {
      Counters c = current();
      if (c != null && c.off == 0) {
        c.wrappedPending += produced;
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /**
   * SSLEngine.unwrap consumed {@code consumed} record bytes: those a counted plain socket read just brought
   * in (the last read, and a partial record before it) were TLS socket bytes; bytes read where the bridge
   * does not see (a native transport) take nothing from plain reads long past.
   */
  public static void tlsUnwrapped(long consumed) {
    if (!enabled || consumed <= 0) {
      return;
    }
    try {
      Counters c = current();
      if (c != null && c.off == 0) {
        long m = Math.min(consumed, c.readUnclaimed);
        c.readUnclaimed -= m;
        c.v[TLS_SOCKET] += m;
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** Enter of an SSLSocket record-layer method: socket I/O until the matching exit carries TLS records. */
  public static Counters tlsRecordEnter() {
    if (!enabled) {
      return null;
    }
    try {
      Counters c = current();
      if (c == null) {
        return null;
      }
      c.tlsRecordDepth++;
      return c;
    } catch (Throwable t) {
      return null;
    }
  }

  public static void tlsRecordExit(Counters c) {
    if (c != null && c.tlsRecordDepth > 0) {
      c.tlsRecordDepth--;
    }
  }

  // ---- file reads into the heap ----

  /** Enter of a file read; null when it is not counted (nested, inside a transfer, agent, class loading). */
  public static Counters fileEnter(String path) {
    if (!enabled) {
      return null;
    }
    try {
      Counters c = current();
      if (c == null) {
        return null;
      }
      if (c.off != 0 || c.transferDepth != 0 || ignoredFile(path)) {
        if (c.fileDepth == 0) {
          c.readSite = null; // a woven read's site is for this read only, counted or not
        }
        return null;
      }
      c.fileDepth++;
      return c;
    } catch (Throwable t) {
      return null;
    }
  }

  public static void fileExit(Counters c, long n) {
    if (c == null) {
      return;
    }
    try {
      if (--c.fileDepth != 0) {
        return;
      }
      try {
        if (n <= 0) {
          return;
        }
        c.v[FILE] += n;
        c.pendingFile += n;
        if (c.siteWanted) {
          IoHooks hooks = delegate;
          if (hooks != null) {
            c.off++;
            try {
              hooks.firstFileRead(c);
            } finally {
              c.off--;
            }
          }
        }
      } finally {
        c.readSite = null; // a woven read's site is for this read only, whatever it read or threw
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** Class loading (jars, modules) and pseudo files are not application data. */
  static boolean ignoredFile(String path) {
    if (path == null) {
      return false;
    }
    return path.endsWith(".jar") || path.endsWith(".zip") || path.endsWith(".jmod") || path.endsWith(".class")
        || path.startsWith("/dev/") || path.startsWith("/proc/") || path.startsWith("/sys/");
  }

  // ---- FileChannel.transferTo / transferFrom ----

  /** Enter of the public transferTo/transferFrom; null when not recorded (nested or agent). */
  public static Counters transferEnter() {
    if (!enabled) {
      return null;
    }
    try {
      Counters c = current();
      if (c == null || c.off != 0 || c.transferDepth++ != 0) {
        return null;
      }
      c.mechanism = MECH_UNKNOWN;
      c.transferTls = c.v[TLS];
      c.transferStart = System.nanoTime();
      return c;
    } catch (Throwable t) {
      return null;
    }
  }

  /**
   * Exit of one of FileChannelImpl's internal transfer paths, named by the {@link #MECH_DIRECT mechanism}
   * it uses ({@code transferToDirectly} on 17, {@code transferToDirect} and {@code transferFromDirect} on
   * 21+: direct; {@code transferToTrustedChannel}, {@code transferFromFileChannel}: mapped;
   * {@code transferToArbitraryChannel}, {@code transferFromArbitraryChannel}: user copy). A non-negative
   * result means that path moved the bytes.
   */
  public static void transferPath(int mechanism, long result) {
    if (!enabled || result < 0) {
      return;
    }
    try {
      Counters c = COUNTERS.get();
      if (c == null || c.transferDepth == 0) {
        return;
      }
      if (c.mechanism == MECH_UNKNOWN) {
        c.mechanism = mechanism;
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** Exit of the public transferTo ({@code to}) or transferFrom; {@code other} is the target or source. */
  public static void transferExit(Counters c, boolean to, long n, Object self, Object other, Throwable thrown) {
    if (c == null) {
      // a nested transfer, or not recorded: only undo the depth taken in transferEnter
      try {
        Counters cur = COUNTERS.get();
        if (cur != null && cur.transferDepth > 0 && enabled) {
          cur.transferDepth--;
        }
      } catch (Throwable ignored) {
        // never into the application
      }
      return;
    }
    try {
      long nanos = System.nanoTime() - c.transferStart;
      boolean tls = c.v[TLS] != c.transferTls;
      int mechanism = c.mechanism;
      c.transferDepth = 0;
      IoHooks hooks = delegate;
      if (hooks != null) {
        c.off++;
        try {
          hooks.transfer(c, to, thrown == null ? Math.max(n, 0) : 0, nanos, self, other, mechanism, tls, thrown);
        } finally {
          c.off--;
        }
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  // ---- containers ----

  /**
   * Tomcat's DefaultServlet decided whether to send a file of {@code length} bytes with sendfile
   * ({@code sendfileSize}: its threshold); when it did not, the delegate says why, for the copy that follows.
   */
  public static void containerSendfileChecked(Object request, long length, int sendfileSize, boolean sendfile) {
    if (!enabled || sendfile || sendfileSize <= 0 || length < sendfileSize) {
      return;
    }
    IoHooks hooks = delegate;
    Counters c;
    try {
      c = current();
      if (hooks == null || c == null || c.off != 0) {
        return;
      }
    } catch (Throwable t) {
      return;
    }
    c.off++;
    try {
      c.nextLoopReason = hooks.noSendfileReason(request);
    } catch (Throwable ignored) {
      // never into the application
    } finally {
      c.off--;
    }
  }

  // ---- implemented by the agent ----

  /** Why a container copies a file through the heap rather than with sendfile; null if unknown. */
  protected String noSendfileReason(Object request) {
    return null;
  }

  protected abstract void transfer(Counters c, boolean to, long bytes, long nanos, Object self, Object other,
      int mechanism, boolean tls, Throwable thrown);

  protected abstract void firstFileRead(Counters c);

  protected abstract void connect(Counters c, Object address, long nanos, Throwable thrown);
}
