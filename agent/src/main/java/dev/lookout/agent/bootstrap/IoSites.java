package dev.lookout.agent.bootstrap;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * What an application class's own file I/O calls go through once the agent wove the class: the call's
 * site ({@code class.method:line}, a constant of the calling class) is set on the thread's
 * {@link IoHooks.Counters} for what the call records, which then names it without walking the stack
 * (a walk costs a server that sends a file per request ~5-35 us a request).
 *
 * <ul>
 *   <li>{@code FileChannel.transferTo} and {@code transferFrom} are made here, the site set around them,
 *       for the transfer the channel's advice records;
 *   <li>before a {@code read} of an {@code InputStream}, a {@code FileInputStream}, a
 *       {@code RandomAccessFile} or a {@code FileChannel}, {@link #nextRead} sets the site of the first
 *       file read of a unit (a request's copy loop) while the agent wants it; the reads after it cost a
 *       class test.
 * </ul>
 *
 * <p>The site is set only where the JDK's own file class is the receiver: from the call to the advice
 * that records it, only JDK frames run, so a stack walk would have named this same call. A stream or
 * channel of anyone else (a wrapper, a buffered stream) may read the file from another site, which
 * the walk finds. A call nested in this one leaves the outer site as it found it. Bootstrap-loaded,
 * JDK types only; throws only what the call throws.
 */
public final class IoSites {

  private static final Class<?> FILE_CHANNEL = jdkClass("sun.nio.ch.FileChannelImpl");

  private IoSites() {}

  public static long transferTo(FileChannel channel, long position, long count, WritableByteChannel target,
      String site) throws IOException {
    IoHooks.Counters c = fileClass(channel) ? counters(false) : null;
    String outer = enter(c, site);
    try {
      return channel.transferTo(position, count, target);
    } finally {
      leave(c, outer);
    }
  }

  public static long transferFrom(FileChannel channel, ReadableByteChannel source, long position, long count,
      String site) throws IOException {
    IoHooks.Counters c = fileClass(channel) ? counters(false) : null;
    String outer = enter(c, site);
    try {
      return channel.transferFrom(source, position, count);
    } finally {
      leave(c, outer);
    }
  }

  /**
   * Before the application's {@code read} on {@code receiver}: when it is one of the JDK's own file
   * classes and the agent wants the site of the thread's next file read, that read takes {@code site}.
   * No frame of the agent's stands between the application and the read (reads are everywhere, and an
   * exception's stack shows them): the site is set here and the read's own advice takes it, whether the
   * read counts, throws or is not counted at all ({@link IoHooks#fileEnter}, {@link IoHooks#fileExit}).
   */
  public static void nextRead(Object receiver, String site) {
    if (!fileClass(receiver)) {
      return;
    }
    IoHooks.Counters c = counters(true);
    if (c != null) {
      c.readSite = site;
    }
  }

  /**
   * Whether {@code o} is one of the JDK's own file classes, exactly (no subclass, no wrapper): those
   * whose advised method is the very one the application calls, so that every read of theirs reaches
   * the advice that takes (and clears) its site. ({@code Files.newInputStream}'s stream can return
   * before it reads the channel: its reads are walked.)
   */
  static boolean fileClass(Object o) {
    if (o == null) {
      return false;
    }
    Class<?> type = o.getClass();
    return type == FileInputStream.class || type == FILE_CHANNEL || type == RandomAccessFile.class;
  }

  /**
   * The thread's counters when what the call records takes a woven site; null else. A read's site is
   * wanted only for the first file read of a unit ({@code forRead}).
   */
  private static IoHooks.Counters counters(boolean forRead) {
    try {
      if (!IoHooks.enabled) {
        return null;
      }
      IoHooks.Counters c = IoHooks.current();
      return c != null && c.off == 0 && (!forRead || c.siteWanted) ? c : null;
    } catch (Throwable t) {
      return null;
    }
  }

  /** Sets {@code site} on {@code c} (when recording) and answers the site it replaced. */
  private static String enter(IoHooks.Counters c, String site) {
    if (c == null) {
      return null;
    }
    String outer = c.callSite;
    c.callSite = site;
    return outer;
  }

  private static void leave(IoHooks.Counters c, String outer) {
    if (c != null) {
      c.callSite = outer;
    }
  }

  private static Class<?> jdkClass(String name) {
    try {
      return Class.forName(name, false, null);
    } catch (Throwable t) {
      return null;
    }
  }
}
