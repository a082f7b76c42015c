package dev.lookout.agent.trace;

import java.lang.ref.WeakReference;

/**
 * The throwables reported lately, by identity, so that one occurrence counts once: a container
 * logs the exception that escaped a servlet after the request was recorded, and applications log
 * an exception before rethrowing it. Weak references: the agent never keeps an exception alive.
 */
public final class RecentThrowables {

  private static final int SIZE = 64;
  private static final WeakReference<?>[] RING = new WeakReference<?>[SIZE];
  private static int next;

  private RecentThrowables() {}

  /** Remembers {@code t}; returns false when it had been reported already. */
  public static synchronized boolean firstReport(Throwable t) {
    for (WeakReference<?> ref : RING) {
      if (ref != null && ref.get() == t) {
        return false;
      }
    }
    RING[next] = new WeakReference<>(t);
    next = (next + 1) % SIZE;
    return true;
  }
}
