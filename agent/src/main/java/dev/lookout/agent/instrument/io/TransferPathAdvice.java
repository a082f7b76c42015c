package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On FileChannelImpl's internal transfer paths: which one returned a byte count (not an IOStatus code). */
public final class TransferPathAdvice {

  private TransferPathAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Origin("#m") String method, @Advice.Return long result) {
    IoHooks.transferPath(method, result);
  }
}
