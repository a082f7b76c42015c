package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code SSLSocketImpl$AppOutputStream.write(byte[],int,int)}: plaintext written to an SSLSocket. */
public final class TlsStreamWriteAdvice {

  private TlsStreamWriteAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Argument(2) int len) {
    IoHooks.tls(len);
  }
}
