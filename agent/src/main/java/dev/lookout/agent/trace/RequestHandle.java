package dev.lookout.agent.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.concurrent.atomic.AtomicInteger;

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
  final AtomicInteger state = new AtomicInteger(ACTIVE);
  final AtomicInteger logs = new AtomicInteger();
  final AtomicInteger exceptions = new AtomicInteger();
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
      CURRENT.remove();
    }
  }
}
