package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/**
 * On FileChannelImpl's internal transfer paths that copy through a mapped buffer: a byte count returned (not an IOStatus code)
 * means that path moved the bytes. One advice class per mechanism, the mechanism a constant: binding the
 * method's name ({@code @Advice.Origin}) would make ByteBuddy set up its {@code java.lang.constant}
 * dispatchers, ~20 KB of generated proxies at premain.
 */
public final class MappedTransferAdvice {

  private MappedTransferAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return long result) {
    IoHooks.transferPath(IoHooks.MECH_MMAP, result);
  }
}
