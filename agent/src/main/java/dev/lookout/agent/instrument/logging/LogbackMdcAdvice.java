package dev.lookout.agent.instrument.logging;

import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.TraceContextMap;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * On Logback's {@code LoggingEvent.getMDCPropertyMap()}: adds {@code trace_id} and {@code span_id}
 * of the current span, so the application's own patterns ({@code %X{trace_id}}) and JSON encoders
 * show them. The event keeps the amended map, so later calls (async appenders) see the same ids; the
 * map is the event's own seen through a {@link TraceContextMap}, not a copy.
 */
public final class LogbackMdcAdvice {

  private LogbackMdcAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return(readOnly = false) Map<String, String> map,
      @Advice.FieldValue(value = "mdcPropertyMap", readOnly = false) Map<String, String> field) {
    if (!LogHooks.mdc || (map != null && map.containsKey(TraceContextMap.TRACE_ID))) {
      return;
    }
    String traceId = LogHooks.currentTraceId();
    if (traceId == null) {
      return;
    }
    Map<String, String> amended = TraceContextMap.of(map, traceId, LogHooks.currentSpanId());
    field = amended;
    map = amended;
  }
}
