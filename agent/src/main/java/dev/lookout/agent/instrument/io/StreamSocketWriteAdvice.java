package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code NioSocketImpl.write(byte[],int,int)} (classic sockets): returns nothing, writes all {@code len} bytes or throws. */
public final class StreamSocketWriteAdvice {

  private StreamSocketWriteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter() {
    return IoHooks.start();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long start, @Advice.Argument(2) int len, @Advice.Thrown Throwable thrown) {
    IoHooks.socketWrite(start, thrown == null ? len : 0);
  }
}
