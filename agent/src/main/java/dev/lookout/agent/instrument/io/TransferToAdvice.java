package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code FileChannelImpl.transferTo(long, long, WritableByteChannel)}. */
public final class TransferToAdvice {

  private TransferToAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static IoHooks.Counters enter() {
    return IoHooks.transferEnter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter IoHooks.Counters counters, @Advice.Return long n, @Advice.This Object self,
      @Advice.Argument(2) Object target, @Advice.Thrown Throwable thrown) {
    IoHooks.transferExit(counters, true, n, self, target, thrown);
  }
}
