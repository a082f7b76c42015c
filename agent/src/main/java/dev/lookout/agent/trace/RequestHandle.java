package dev.lookout.agent.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** A recorded request in flight: its span, where it is in its life, and what it counted. */
final class RequestHandle {

  static final int ACTIVE = 0;
  static final int SUSPENDED = 1;
  static final int ENDED = 2;

  /** The request being recorded on this thread, for log and exception counting. */
  static final ThreadLocal<RequestHandle> CURRENT = new ThreadLocal<>();

  final String method;
  final Span span;
  final Object[] observerStates;
  // Plain volatile fields behind updaters: three AtomicIntegers were three more objects per request.
  private static final AtomicIntegerFieldUpdater<RequestHandle> STATE =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "state");
  private static final AtomicIntegerFieldUpdater<RequestHandle> LOGS =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "logs");
  private static final AtomicIntegerFieldUpdater<RequestHandle> EXCEPTIONS =
      AtomicIntegerFieldUpdater.newUpdater(RequestHandle.class, "exceptions");
  private volatile int state = ACTIVE;
  private volatile int logs;
  private volatile int exceptions;
  /** Set by {@link BodyCapture} when bodies are captured: found from the stream advice through {@link #CURRENT}. */
  volatile RequestBodies bodies;
  private Context context;
  private Thread attachedTo;

  RequestHandle(String method, Span span, Object[] observerStates) {
    this.method = method;
    this.span = span;
    this.observerStates = observerStates;
  }

  /**
   * The span as an OpenTelemetry context, made only when something asks (a log record to link):
   * the request itself is found through {@link #CURRENT}, not through the SDK's context storage.
   */
  Context context() {
    Context c = context;
    if (c == null) {
      c = Context.root().with(span);
      context = c;
    }
    return c;
  }

  /** Sets the state, answering the one it replaced. */
  int swapState(int next) {
    return STATE.getAndSet(this, next);
  }

  boolean changeState(int expected, int next) {
    return STATE.compareAndSet(this, expected, next);
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

  /** Makes the request current on this thread. */
  void attach() {
    attachedTo = Thread.currentThread();
    CURRENT.set(this);
  }

  /** Undoes {@link #attach}; only on the thread that attached (a scope belongs to its thread). */
  void detach() {
    if (attachedTo != Thread.currentThread()) {
      return;
    }
    attachedTo = null;
    if (CURRENT.get() == this) {
      CURRENT.set(null); // not remove(): that expunges and rehashes the thread's map on every request
    }
  }
}
