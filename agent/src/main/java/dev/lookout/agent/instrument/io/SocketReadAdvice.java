package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code SocketChannelImpl.read(…)} and {@code NioSocketImpl.read(byte[],int,int)}: bytes in, one call, time. */
public final class SocketReadAdvice {

  private SocketReadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter() {
    return IoHooks.start();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long start, @Advice.Return long n) {
    IoHooks.socketRead(start, n);
  }
}
