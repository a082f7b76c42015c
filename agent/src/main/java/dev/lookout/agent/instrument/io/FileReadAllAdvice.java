package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/** On {@code FileInputStream.readAllBytes()} and {@code readNBytes(int)}. */
public final class FileReadAllAdvice {

  private FileReadAllAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static IoHooks.Counters enter(@Advice.FieldValue("path") String path) {
    return IoHooks.fileEnter(path);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter IoHooks.Counters counters, @Advice.Return byte[] bytes) {
    IoHooks.fileExit(counters, bytes == null ? 0 : bytes.length);
  }
}
