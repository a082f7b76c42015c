package dev.lookout.agent.instrument.jdk;

import dev.lookout.agent.bootstrap.LogHooks;
import net.bytebuddy.asm.Advice;

/** On {@code Thread.dispatchUncaughtException}: the JVM calls it for every exception that ends a thread. */
public final class UncaughtExceptionAdvice {

  private UncaughtExceptionAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable thrown) {
    LogHooks.uncaught(thread, thrown);
  }
}
