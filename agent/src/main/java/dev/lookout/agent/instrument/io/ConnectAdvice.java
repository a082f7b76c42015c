package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code SocketChannelImpl.connect(SocketAddress)} and {@code NioSocketImpl.connect(SocketAddress, int)}. */
public final class ConnectAdvice {

  private ConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter() {
    return IoHooks.start();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter long start, @Advice.Argument(0) Object address, @Advice.Thrown Throwable thrown) {
    IoHooks.connected(start, address, thrown);
  }
}
