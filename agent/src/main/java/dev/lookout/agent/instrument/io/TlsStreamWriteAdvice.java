package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/**
 * On {@code SSLSocketImpl$AppOutputStream.write(byte[],int,int)}: plaintext written to an SSLSocket. Counted
 * on entry, before the record layer encrypts and writes (and perhaps handshakes, reading the socket).
 */
public final class TlsStreamWriteAdvice {

  private TlsStreamWriteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.Argument(2) int len) {
    IoHooks.tls(len);
  }
}
