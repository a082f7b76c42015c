package dev.lookout.agent.trace;

import dev.lookout.agent.record.SpanRecord;

/**
 * Something that follows each recorded request, such as the I/O accounting. {@link #started} runs on
 * the request thread right after the request became current; {@link #ending} runs just before the
 * record is submitted (for async requests possibly on another thread). An observer keeps its state
 * in the record (its own field there), so following a request allocates nothing. Both must be cheap
 * and must not throw.
 */
public interface RequestObserver {

  void started(SpanRecord record);

  void ending(SpanRecord record);

  /**
   * The request goes on elsewhere (a container's sendfile continued on its poller thread): stop following
   * it on this thread, keeping what was seen for {@link #ending}. On the thread that started it.
   */
  default void paused(SpanRecord record) {}

  /**
   * Follow the request on the current thread for a while (another thread than the one that started it);
   * returns a token for {@link #giveBack}, or null. Rare: may allocate.
   */
  default Object borrow(SpanRecord record) {
    return null;
  }

  /** Stop following the request on this thread; what was seen is added to the request's figures. */
  default void giveBack(SpanRecord record, Object token) {}
}
