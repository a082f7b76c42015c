package dev.lookout.agent.trace;

import io.opentelemetry.api.trace.Span;

/**
 * Something that follows each recorded request, such as the I/O accounting. {@link #started} runs on
 * the request thread right after the SERVER span became current; {@link #ending} runs just before
 * the span ends (for async requests possibly on another thread), with whatever {@code started}
 * returned. Both must be cheap and must not throw.
 */
public interface RequestObserver {

  Object started(Span span);

  void ending(Object state, Span span);
}
