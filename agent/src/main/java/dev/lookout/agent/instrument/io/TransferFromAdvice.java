package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code FileChannelImpl.transferFrom(ReadableByteChannel, long, long)}. */
public final class TransferFromAdvice {

  private TransferFromAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static IoHooks.Counters enter() {
    return IoHooks.transferEnter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter IoHooks.Counters counters, @Advice.Return long n, @Advice.This Object self,
      @Advice.Argument(0) Object source, @Advice.Thrown Throwable thrown) {
    IoHooks.transferExit(counters, false, n, self, source, thrown);
  }
}
