package dev.lookout.agent.export;

import dev.lookout.agent.trace.ServerSpans;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * {@code lookout.sample.ratio} decided when a span ends rather than when it starts, so that errors
 * are always kept: a span with an error type goes on; others go on for the configured fraction of
 * trace ids (the same traces on every service).
 */
final class SamplingSpanProcessor implements SpanProcessor {

  private final SpanProcessor next;
  private final long bound;

  SamplingSpanProcessor(SpanProcessor next, double ratio) {
    this.next = next;
    this.bound = (long) (ratio * Long.MAX_VALUE);
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
  public void onEnd(ReadableSpan span) {
    if (span.getAttribute(ServerSpans.ERROR_TYPE) != null || keep(span.getSpanContext().getTraceId())) {
      next.onEnd(span);
    }
  }

  boolean keep(String traceId) {
    long random = Long.parseUnsignedLong(traceId.substring(16), 16) >>> 1;
    return random < bound;
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
