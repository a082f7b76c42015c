package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/**
 * On the methods of {@code SSLSocketOutputRecord} that write records ({@code deliver}, {@code flush},
 * {@code encodeAlert}, {@code encodeHandshake}, {@code encodeChangeCipherSpec}) and on
 * {@code SSLSocketInputRecord.read(InputStream, byte[], int, int)}: the socket I/O they do carries TLS records.
 */
public final class TlsRecordAdvice {

  private TlsRecordAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static IoHooks.Counters enter() {
    return IoHooks.tlsRecordEnter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter IoHooks.Counters counters) {
    IoHooks.tlsRecordExit(counters);
  }
}
