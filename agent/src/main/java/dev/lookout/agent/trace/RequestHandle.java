package dev.lookout.agent.trace;

import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A recorded request in flight: the handle the advice keeps (as a request attribute) for its whole
 * life, around the pooled {@link SpanRecord} being filled. The record goes back to the pool after
 * export; the handle outlives it, so a late call on an ended request (a second end, an async
 * complete after the container ended it) finds {@link #ENDED} and never touches a record that
 * another request is using by then.
 */
final class RequestHandle {

  static final int ACTIVE = 0;
  static final int SUSPENDED = 1;
  static final int ENDED = 2;

  private static final AtomicIntegerFieldUpdater<RequestHandle> STATE =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "state");
  private static final AtomicIntegerFieldUpdater<RequestHandle> LOGS =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "logs");
  private static final AtomicIntegerFieldUpdater<RequestHandle> EXCEPTIONS =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "exceptions");

  /** Valid until the request ended (then back in the pool): read only while not {@link #ENDED}. */
  final SpanRecord record;
  private volatile int state = ACTIVE;
  private volatile int logs;
  private volatile int exceptions;
  /** Set by {@link BodyCapture} when bodies are captured: found from the stream advice as the thread's current request. */
  volatile RequestBodies bodies;
  private Thread attachedTo;
  /** The state of the thread it is attached to, while attached. */
  private RequestThread on;
  private String traceIdHex;
  private String spanIdHex;

  RequestHandle(SpanRecord record) {
    this.record = record;
  }

  /** Sets the state, answering the one it replaced. */
  int swapState(int next) {
    return STATE.getAndSet(this, next);
  }

  boolean changeState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
  }

  boolean ended() {
    return state == ENDED;
  }

  void countLog() {
    LOGS.incrementAndGet(this);
  }

  void countException() {
    EXCEPTIONS.incrementAndGet(this);
  }

  int logs() {
    return logs;
  }

  int exceptions() {
    return exceptions;
  }

  /** The trace id in hex, made once per request and only when asked (MDC); while attached only. */
  String traceIdHex() {
    String s = traceIdHex;
    if (s == null) {
      s = TraceIds.traceIdHex(record.traceIdHigh, record.traceIdLow);
      traceIdHex = s;
    }
    return s;
  }

  String spanIdHex() {
    String s = spanIdHex;
    if (s == null) {
      s = TraceIds.spanIdHex(record.spanId);
      spanIdHex = s;
    }
    return s;
  }

  /** Makes the request current on this thread, whose state is {@code here}. */
  void attach(RequestThread here) {
    attachedTo = Thread.currentThread();
    on = here;
    here.current = this;
  }

  /**
   * The state of the thread it is attached to when that is this thread (the servlet returning on the
   * thread that started or resumed it), else this thread's, looked up.
   */
  RequestThread thread() {
    RequestThread t = on;
    return t != null && attachedTo == Thread.currentThread() ? t : RequestThread.here();
  }

  /** Undoes {@link #attach}; only on the thread that attached. */
  void detach() {
    if (attachedTo != Thread.currentThread()) {
      return;
    }
    attachedTo = null;
    RequestThread t = on;
    on = null;
    if (t.current == this) {
      t.current = null;
    }
  }
}
