package dev.lookout.agent.instrument.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import dev.lookout.agent.bootstrap.LogHooks;
import net.bytebuddy.asm.Advice;

/** On Logback's {@code Logger.callAppenders(ILoggingEvent)}: once per event that passed the level check. */
public final class LogbackAdvice {

  private LogbackAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) ILoggingEvent event) {
    int level = LogHooks.logbackLevel(event.getLevel().toInt());
    if (level < LogHooks.threshold) {
      return;
    }
    IThrowableProxy proxy = event.getThrowableProxy();
    Throwable thrown = proxy instanceof ThrowableProxy ? ((ThrowableProxy) proxy).getThrowable() : null;
    LogHooks.record(event.getTimeStamp(), level, event.getLoggerName(), event.getFormattedMessage(), thrown);
  }
}
