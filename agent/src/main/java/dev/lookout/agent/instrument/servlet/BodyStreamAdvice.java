package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.BodyHooks;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * On the read methods of servlet input streams and the write methods of servlet output streams and
 * response writers, javax and jakarta alike (only JDK types are touched): hands the bytes that
 * passed to {@link BodyHooks} after the call returned. The application's buffers are only read,
 * its calls neither delayed by I/O nor changed; with bodies off each call costs one field read.
 */
public final class BodyStreamAdvice {

  private BodyStreamAdvice() {}

  /** {@code int read()}. */
  public static final class ReadByte {
    private ReadByte() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterRead() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Return int value, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.oneByte(tee, value, thrown == null);
      }
    }
  }

  /** {@code int read(byte[], int, int)} and {@code int readLine(byte[], int, int)}. */
  public static final class ReadRange {
    private ReadRange() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterRead() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) byte[] bytes,
        @Advice.Argument(1) int offset, @Advice.Return int count, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.bytes(tee, bytes, offset, count, thrown == null);
      }
    }
  }

  /** {@code int read(byte[])}. */
  public static final class ReadArray {
    private ReadArray() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterRead() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) byte[] bytes,
        @Advice.Return int count, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.bytes(tee, bytes, 0, count, thrown == null);
      }
    }
  }

  /** {@code int read(ByteBuffer)} (Servlet 6.1). */
  public static final class ReadBuffer {
    private ReadBuffer() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ByteBuffer buffer, @Advice.Local("from") int from) {
      if (!BodyHooks.capture) {
        return null;
      }
      from = buffer.position();
      return BodyHooks.enterRead();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) ByteBuffer buffer,
        @Advice.Local("from") int from, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.buffer(tee, buffer, from, thrown == null);
      }
    }
  }

  /** {@code void write(int)} of an output stream. */
  public static final class WriteByte {
    private WriteByte() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterWrite() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) int value, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.oneByte(tee, value & 0xFF, thrown == null);
      }
    }
  }

  /** {@code void write(byte[], int, int)}. */
  public static final class WriteRange {
    private WriteRange() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterWrite() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) byte[] bytes,
        @Advice.Argument(1) int offset, @Advice.Argument(2) int count, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.bytes(tee, bytes, offset, count, thrown == null);
      }
    }
  }

  /** {@code void write(byte[])}. */
  public static final class WriteArray {
    private WriteArray() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
      return BodyHooks.capture ? BodyHooks.enterWrite() : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) byte[] bytes,
        @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.bytes(tee, bytes, 0, bytes == null ? 0 : bytes.length, thrown == null);
      }
    }
  }

  /** {@code void write(ByteBuffer)} (Servlet 6.1): the bytes it consumed. */
  public static final class WriteBuffer {
    private WriteBuffer() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ByteBuffer buffer, @Advice.Local("from") int from) {
      if (!BodyHooks.capture) {
        return null;
      }
      from = buffer.position();
      return BodyHooks.enterWrite();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) ByteBuffer buffer,
        @Advice.Local("from") int from, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.buffer(tee, buffer, from, thrown == null);
      }
    }
  }

  /** {@code void write(int)} of a response writer: one character. */
  public static final class WriterChar {
    private WriterChar() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object writer) {
      return BodyHooks.capture ? BodyHooks.enterWriter(writer) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) int value, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.oneChar(tee, value, thrown == null);
      }
    }
  }

  /** {@code void write(char[], int, int)}. */
  public static final class WriterChars {
    private WriterChars() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object writer) {
      return BodyHooks.capture ? BodyHooks.enterWriter(writer) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) char[] chars,
        @Advice.Argument(1) int offset, @Advice.Argument(2) int count, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.chars(tee, null, chars, offset, count, thrown == null);
      }
    }
  }

  /** {@code void write(char[])}. */
  public static final class WriterCharArray {
    private WriterCharArray() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object writer) {
      return BodyHooks.capture ? BodyHooks.enterWriter(writer) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) char[] chars,
        @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.chars(tee, null, chars, 0, chars == null ? 0 : chars.length, thrown == null);
      }
    }
  }

  /** {@code void write(String, int, int)}. */
  public static final class WriterStringRange {
    private WriterStringRange() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object writer) {
      return BodyHooks.capture ? BodyHooks.enterWriter(writer) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) String text,
        @Advice.Argument(1) int offset, @Advice.Argument(2) int count, @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.chars(tee, text, null, offset, count, thrown == null);
      }
    }
  }

  /** {@code void write(String)}. */
  public static final class WriterString {
    private WriterString() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.This Object writer) {
      return BodyHooks.capture ? BodyHooks.enterWriter(writer) : null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object tee, @Advice.Argument(0) String text,
        @Advice.Thrown Throwable thrown) {
      if (tee != null) {
        BodyHooks.chars(tee, text, null, 0, text == null ? 0 : text.length(), thrown == null);
      }
    }
  }

  /** {@code PrintWriter getWriter()} of a servlet response: which writer is the response body's. */
  public static final class GetWriter {
    private GetWriter() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Return Object writer) {
      if (BodyHooks.capture) {
        BodyHooks.responseWriter(writer);
      }
    }
  }
}
