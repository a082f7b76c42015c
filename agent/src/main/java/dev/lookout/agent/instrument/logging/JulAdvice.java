package dev.lookout.agent.instrument.logging;

import dev.lookout.agent.bootstrap.LogHooks;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.bytebuddy.asm.Advice;

/** On {@code java.util.logging.Logger.log(LogRecord)}, which every JUL record passes through. */
public final class JulAdvice {

  private JulAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter(@Advice.This Logger logger, @Advice.Argument(0) LogRecord record) {
    return LogHooks.recordJul(logger, record);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter boolean captured) {
    if (captured) {
      LogHooks.julDone();
    }
  }
}
