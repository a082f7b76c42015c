package dev.lookout.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A value per thread, kept outside the thread's own thread-local map where it can be: in a table
 * indexed by thread id, whose slot a thread owns until it ends. A thread whose slot another live
 * thread owns keeps its values in a {@link ThreadLocal} instead.
 *
 * <p>Why not a thread-local for all: a container's pooled threads carry many thread-locals, and the
 * agent's lookups in their maps often missed their slot and probed on (in {@code /hello} profiles on
 * Jetty 12, ~0.26 µs per request inside agent frames). Ids are never reused, so a slot holding this
 * thread's id holds this thread's values.
 *
 * <p>One table for all: a slot holds an array with the thread's value of each {@code PerThread}
 * (the first {@value #VALUES} made; later ones keep theirs in a thread-local of their own). A request
 * looks several of them up (its state, the header scratch twice, the I/O counters at each socket
 * call); with a table each, every lookup read a table line, a slot and a value of its own, out of
 * the cache after the requests of the thread's pool in between. Now the first lookup brings the
 * thread's slot and array in, and the others find them there. JDK types only: a bootstrap bridge
 * class.
 */
public final class PerThread<T> {

  private static final int SLOTS = 1024;
  /** Values a slot keeps: one per {@code PerThread} made, in the order they are made. */
  static final int VALUES = 8;

  /** A thread's id, the thread (weakly, to see that it ended) and its values; only it writes them. */
  static final class Slot {
    final long id;
    final WeakReference<Thread> owner;
    final Object[] values = new Object[VALUES];

    Slot(long id, WeakReference<Thread> owner) {
      this.id = id;
      this.owner = owner;
    }

    boolean ownerEnded() {
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }
  }

  private static final AtomicReferenceArray<Slot> TABLE = new AtomicReferenceArray<>(SLOTS);
  /** The values of threads whose slot another live thread owns. */
  private static final ThreadLocal<Object[]> DISPLACED = new ThreadLocal<>();
  private static final AtomicInteger MADE = new AtomicInteger();

  /** This one's index in a slot's values, or -1 when it keeps its values in {@link #own}. */
  private final int index;
  private final ThreadLocal<T> own;

  public PerThread() {
    this(MADE.getAndIncrement());
  }

  private PerThread(int index) {
    this.index = index < VALUES ? index : -1;
    this.own = this.index < 0 ? new ThreadLocal<>() : null;
  }

  /** One that keeps its values in a thread-local of its own, as those made past the first few do. */
  static <T> PerThread<T> unslotted() {
    return new PerThread<>(VALUES);
  }

  /** This thread's value, or null. */
  @SuppressWarnings({"unchecked", "deprecation"}) // getId(): threadId() is JDK 19+
  public T get() {
    if (index < 0) {
      return own.get();
    }
    long id = Thread.currentThread().getId();
    Slot s = TABLE.get((int) id & (SLOTS - 1));
    Object[] values = s != null && s.id == id ? s.values : DISPLACED.get();
    return values == null ? null : (T) values[index];
  }

  /** Makes {@code value} this thread's. */
  public void set(T value) {
    if (index < 0) {
      own.set(value);
      return;
    }
    values()[index] = value;
  }

  /** This thread's values: its slot's, a slot it takes now, or (displaced) its thread-local's. */
  @SuppressWarnings("deprecation")
  private static Object[] values() {
    Thread t = Thread.currentThread();
    long id = t.getId();
    int i = (int) id & (SLOTS - 1);
    Slot s = TABLE.get(i);
    if (s != null && s.id == id) {
      return s.values;
    }
    Object[] displaced = DISPLACED.get();
    if (displaced != null) {
      return displaced; // kept there for good: what this thread set before stays where it is
    }
    if (s == null || s.ownerEnded()) {
      Slot mine = new Slot(id, new WeakReference<>(t));
      if (TABLE.compareAndSet(i, s, mine)) {
        return mine.values;
      }
    }
    displaced = new Object[VALUES];
    DISPLACED.set(displaced);
    return displaced;
  }
}
