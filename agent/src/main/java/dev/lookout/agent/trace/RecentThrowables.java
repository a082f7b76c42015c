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

  /**
   * Remembers {@code t} and its causes; returns false when it or one of its causes had been
   * reported already (a container logs the root cause of the ServletException that escaped; an
   * application wraps and rethrows what it logged).
   */
  public static synchronized boolean firstReport(Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
      for (WeakReference<?> ref : RING) {
        if (ref != null && ref.get() == c) {
          return false;
        }
      }
    }
    depth = 0;
    for (Throwable c = t; c != null && depth < 16; c = c.getCause(), depth++) {
      RING[next] = new WeakReference<>(c);
      next = (next + 1) % SIZE;
    }
    return true;
  }
}
