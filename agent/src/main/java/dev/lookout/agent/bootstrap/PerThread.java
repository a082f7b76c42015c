package dev.lookout.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A value per thread, kept outside the thread's own thread-local map where it can be: in a table
 * indexed by thread id, whose slot a thread owns until it ends. A thread whose slot another live
 * thread owns keeps its value in a {@link ThreadLocal} instead.
 *
 * <p>Why not a thread-local for all: a container's pooled threads carry many thread-locals, and the
 * agent's lookups in their maps often missed their slot and probed on (in {@code /hello} profiles on
 * Jetty 12, ~0.26 µs per request inside agent frames). Ids are never reused, so a slot holding this
 * thread's id holds this thread's value. JDK types only: a bootstrap bridge class.
 */
public final class PerThread<T> {

  private static final int SLOTS = 1024;

  /** A thread's id, the thread (weakly, to see that it ended) and its value; never changed. */
  static final class Slot {
    final long id;
    final WeakReference<Thread> owner;
    final Object value;

    Slot(long id, WeakReference<Thread> owner, Object value) {
      this.id = id;
      this.owner = owner;
      this.value = value;
    }

    boolean ownerEnded() {
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }
  }

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);
  /** Values of threads whose slot another live thread owns. */
  private final ThreadLocal<T> displaced = new ThreadLocal<>();

  /** This thread's value, or null. */
  @SuppressWarnings({"unchecked", "deprecation"}) // getId(): threadId() is JDK 19+
  public T get() {
    long id = Thread.currentThread().getId();
    Slot s = slots.get((int) id & (SLOTS - 1));
    if (s != null && s.id == id) {
      return (T) s.value;
    }
    return displaced.get();
  }

  /** Makes {@code value} this thread's. */
  @SuppressWarnings("deprecation")
  public void set(T value) {
    Thread t = Thread.currentThread();
    long id = t.getId();
    int i = (int) id & (SLOTS - 1);
    Slot s = slots.get(i);
    if (s != null && s.id == id) {
      // owned by this thread: only this thread replaces its own slot while it lives
      slots.set(i, new Slot(id, s.owner, value));
      return;
    }
    if ((s == null || s.ownerEnded()) && slots.compareAndSet(i, s, new Slot(id, new WeakReference<>(t), value))) {
      displaced.remove();
      return;
    }
    displaced.set(value);
  }
}
