package dev.lookout.agent.export;

import dev.lookout.agent.trace.ServerSpans;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * {@code lookout.sample.ratio} decided when a span ends rather than when it starts, so that errors
 * are always kept: a span with an error type goes on; others go on for the configured fraction of
 * trace ids (the same traces on every service).
 */
final class SamplingSpanProcessor extends ForwardingSpanProcessor {

  private final long bound;

  SamplingSpanProcessor(SpanProcessor next, double ratio) {
    super(next);
    this.bound = (long) (ratio * Long.MAX_VALUE);
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
}
