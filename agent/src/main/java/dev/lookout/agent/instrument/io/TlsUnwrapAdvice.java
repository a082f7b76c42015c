package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import javax.net.ssl.SSLEngineResult;
import net.bytebuddy.asm.Advice;

/** On {@code SSLEngineImpl.unwrap(ByteBuffer[],int,int,ByteBuffer[],int,int)}: record bytes a socket read brought. */
public final class TlsUnwrapAdvice {

  private TlsUnwrapAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return SSLEngineResult result) {
    if (result != null) {
      IoHooks.tlsUnwrapped(result.bytesConsumed());
    }
  }
}
