package dev.lookout.agent.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
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
  final Context context;
  final Object[] observerStates;
  final AtomicInteger state = new AtomicInteger(ACTIVE);
  final AtomicInteger logs = new AtomicInteger();
  final AtomicInteger exceptions = new AtomicInteger();
  /** Set by {@link BodyCapture} when bodies are captured: found from the stream advice through {@link #CURRENT}. */
  volatile RequestBodies bodies;
  private Scope scope;
  private Thread attachedTo;

  RequestHandle(String method, Span span, Context context, Object[] observerStates) {
    this.method = method;
    this.span = span;
    this.context = context;
    this.observerStates = observerStates;
  }

  /** Makes the span current on this thread. */
  void attach() {
    scope = context.makeCurrent();
    attachedTo = Thread.currentThread();
    CURRENT.set(this);
  }

  /** Undoes {@link #attach}; only on the thread that attached (a scope belongs to its thread). */
  void detach() {
    if (attachedTo != Thread.currentThread()) {
      return;
    }
    Scope s = scope;
    scope = null;
    attachedTo = null;
    if (s != null) {
      s.close();
    }
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }
}
