package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import javax.net.ssl.SSLEngineResult;
import net.bytebuddy.asm.Advice;

/**
 * On {@code SSLEngineImpl.wrap(ByteBuffer[],int,int,ByteBuffer[],int,int)}: plaintext consumed by TLS, and
 * the record bytes produced, which the application's next socket writes carry.
 */
public final class TlsWrapAdvice {

  private TlsWrapAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return SSLEngineResult result) {
    if (result != null) {
      IoHooks.tlsWrapped(result.bytesConsumed(), result.bytesProduced());
    }
  }
}
