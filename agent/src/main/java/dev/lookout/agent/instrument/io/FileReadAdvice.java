package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/**
 * On reads of file bytes into memory: {@code FileInputStream.read(byte[]…)}, {@code RandomAccessFile.read(byte[]…)},
 * {@code FileChannelImpl.read(ByteBuffer…)}. Nested reads count once.
 */
public final class FileReadAdvice {

  private FileReadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static IoHooks.Counters enter(@Advice.FieldValue("path") String path) {
    return IoHooks.fileEnter(path);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter IoHooks.Counters counters, @Advice.Return long n) {
    IoHooks.fileExit(counters, n);
  }
}
