package dev.lookout.agent.instrument.logging;

import dev.lookout.agent.bootstrap.LogHooks;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.spi.AbstractLogger;
import net.bytebuddy.asm.Advice;

/**
 * On log4j-core's {@code Logger}: reached once per enabled event, whether it came through the Log4j
 * API, SLF4J or the LogBuilder. Two signatures, hence two advice classes.
 */
public final class Log4jAdvice {

  private Log4jAdvice() {}

  /** {@code logMessage(String fqcn, Level, Marker, Message, Throwable)}. */
  public static final class LogMessage {
    private LogMessage() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This AbstractLogger logger, @Advice.Argument(1) Level level,
        @Advice.Argument(3) Message message, @Advice.Argument(4) Throwable thrown) {
      int normalised = LogHooks.log4jLevel(level.intLevel());
      if (normalised >= LogHooks.threshold && message != null) {
        LogHooks.record(System.currentTimeMillis(), normalised, logger.getName(), message.getFormattedMessage(),
            thrown != null ? thrown : message.getThrowable());
      }
    }
  }

  /** {@code log(Level, Marker, String fqcn, StackTraceElement location, Message, Throwable)}. */
  public static final class LogWithLocation {
    private LogWithLocation() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This AbstractLogger logger, @Advice.Argument(0) Level level,
        @Advice.Argument(4) Message message, @Advice.Argument(5) Throwable thrown) {
      int normalised = LogHooks.log4jLevel(level.intLevel());
      if (normalised >= LogHooks.threshold && message != null) {
        LogHooks.record(System.currentTimeMillis(), normalised, logger.getName(), message.getFormattedMessage(),
            thrown != null ? thrown : message.getThrowable());
      }
    }
  }
}
