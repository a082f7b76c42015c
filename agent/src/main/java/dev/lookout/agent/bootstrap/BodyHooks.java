package dev.lookout.agent.bootstrap;

/**
 * The bridge from advice on servlet streams and response writers to the body capture
 * ({@code lookout.capture.bodies}). Bootstrap-loaded, JDK types only; every entry point swallows
 * what the implementation throws.
 *
 * <p>Advice calls an {@code enter…} method before a read or write; it answers the tee of the request
 * current on this thread, or null when nothing is to be recorded (bodies off, no request, or a call
 * nested in another read or write that is already recorded, such as {@code read(byte[])} calling
 * {@code read(byte[], int, int)}). After the call returned, advice hands the tee the bytes that
 * passed through; every non-null tee is handed back exactly once, also when the call threw
 * ({@code ok == false}), which closes the nesting guard.
 */
public abstract class BodyHooks {

  /** Read by advice before anything else: with bodies off, a stream call costs this one field read. */
  public static volatile boolean capture;
  private static volatile BodyHooks delegate;

  public static void install(BodyHooks hooks) {
    delegate = hooks;
    capture = hooks != null;
  }

  /** Before a read on a servlet input stream. */
  public static Object enterRead() {
    BodyHooks hooks = delegate;
    try {
      return hooks == null ? null : hooks.requestTee();
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** Before a write on a servlet output stream. */
  public static Object enterWrite() {
    BodyHooks hooks = delegate;
    try {
      return hooks == null ? null : hooks.responseTee(null);
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** Before a write on a {@code PrintWriter}: recorded only if it is the current response's writer. */
  public static Object enterWriter(Object writer) {
    BodyHooks hooks = delegate;
    try {
      return hooks == null ? null : hooks.responseTee(writer);
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** A single byte read or written; {@code value} is the byte (or -1 at end of stream). */
  public static void oneByte(Object tee, int value, boolean ok) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null) {
        hooks.onByte(tee, ok ? value : -1);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** {@code count} bytes of {@code bytes} from {@code offset} were read or written (count may be -1 or 0). */
  public static void bytes(Object tee, byte[] bytes, int offset, int count, boolean ok) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null) {
        hooks.onBytes(tee, bytes, offset, ok ? count : -1);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** The bytes of {@code buffer} between {@code from} and its position now were read or written. */
  public static void buffer(Object tee, java.nio.ByteBuffer buffer, int from, boolean ok) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null) {
        hooks.onBuffer(tee, buffer, from, ok);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** Characters written to the response writer: a {@code char[]} or a {@code String} range. */
  public static void chars(Object tee, CharSequence text, char[] chars, int offset, int count, boolean ok) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null) {
        hooks.onChars(tee, text, chars, offset, ok ? count : -1);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** One character written to the response writer. */
  public static void oneChar(Object tee, int value, boolean ok) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null) {
        hooks.onChar(tee, value, ok);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** {@code ServletResponse.getWriter()} returned this writer. */
  public static void responseWriter(Object writer) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null && writer != null) {
        hooks.onResponseWriter(writer);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  /** Called by the request advice just before the request ends: what the bodies are. */
  public static void contentTypes(Object handle, String requestType, String responseType) {
    BodyHooks hooks = delegate;
    try {
      if (hooks != null && handle != null) {
        hooks.onContentTypes(handle, requestType, responseType);
      }
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  protected abstract Object requestTee();

  protected abstract Object responseTee(Object writer);

  protected abstract void onByte(Object tee, int value);

  protected abstract void onBytes(Object tee, byte[] bytes, int offset, int count);

  protected abstract void onBuffer(Object tee, java.nio.ByteBuffer buffer, int from, boolean ok);

  protected abstract void onChars(Object tee, CharSequence text, char[] chars, int offset, int count);

  protected abstract void onChar(Object tee, int value, boolean ok);

  protected abstract void onResponseWriter(Object writer);

  protected abstract void onContentTypes(Object handle, String requestType, String responseType);
}
