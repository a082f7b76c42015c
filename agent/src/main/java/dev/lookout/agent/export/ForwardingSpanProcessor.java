package dev.lookout.agent.export;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/** A span processor in front of another that decides only what reaches it when a span ends. */
abstract class ForwardingSpanProcessor implements SpanProcessor {

  protected final SpanProcessor next;

  ForwardingSpanProcessor(SpanProcessor next) {
    this.next = next;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    next.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return next.isStartRequired();
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    return next.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return next.forceFlush();
  }
}
