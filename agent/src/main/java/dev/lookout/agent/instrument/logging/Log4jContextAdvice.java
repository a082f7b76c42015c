package dev.lookout.agent.instrument.logging;

import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.TraceContextMap;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.util.StringMap;
import net.bytebuddy.asm.Advice;

/**
 * On Log4j2's {@code ContextDataInjector.injectContextData}, which fills each event's context data
 * from the ThreadContext: adds {@code trace_id} and {@code span_id} of the current span, so the
 * application's patterns ({@code %X{trace_id}}) and JSON layouts show them, also through async
 * loggers (the data is taken on the logging thread). The application's ThreadContext itself is
 * left alone; a frozen (shared) map is copied, never changed.
 */
public final class Log4jContextAdvice {

  private Log4jContextAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return(readOnly = false) StringMap data) {
    if (!LogHooks.mdc || (data != null && data.containsKey(TraceContextMap.TRACE_ID))) {
      return;
    }
    String traceId = LogHooks.currentTraceId();
    if (traceId == null) {
      return;
    }
    StringMap target = data;
    boolean frozen = target == null || target.isFrozen();
    if (frozen) {
      target = ContextDataFactory.createContextData((data == null ? 0 : data.size()) + 2);
      if (data != null) {
        target.putAll(data);
      }
    }
    target.putValue(TraceContextMap.TRACE_ID, traceId);
    target.putValue(TraceContextMap.SPAN_ID, LogHooks.currentSpanId());
    if (frozen) {
      target.freeze();
    }
    data = target;
  }
}
