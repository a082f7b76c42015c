package dev.lookout.agent.bootstrap;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * What an application class's own calls of {@code FileChannel.transferTo} and {@code transferFrom} go
 * through once the agent wove the class: the same call, with the call's site ({@code class.method:line},
 * a constant of the calling class) set on the thread's {@link IoHooks.Counters} while it runs. The
 * transfer it records then names that site without walking the stack, which costs a server that sends a
 * file per request more than the rest of what the agent does for it.
 *
 * <p>The site is set only for the JDK's own file channel, whose advice records this very call: a
 * channel of the application's (a wrapper, say) may transfer through another site, which the walk finds.
 * A transfer nested in this one (the target's {@code write} transferring again) is not recorded, and
 * leaves the outer site as it found it. Bootstrap-loaded, JDK types only; throws only what the call
 * throws.
 */
public final class TransferSites {

  private static final Class<?> FILE_CHANNEL = fileChannelClass();

  private TransferSites() {}

  public static long transferTo(FileChannel channel, long position, long count, WritableByteChannel target,
      String site) throws IOException {
    IoHooks.Counters c = counters(channel);
    String outer = enter(c, site);
    try {
      return channel.transferTo(position, count, target);
    } finally {
      leave(c, outer);
    }
  }

  public static long transferFrom(FileChannel channel, ReadableByteChannel source, long position, long count,
      String site) throws IOException {
    IoHooks.Counters c = counters(channel);
    String outer = enter(c, site);
    try {
      return channel.transferFrom(source, position, count);
    } finally {
      leave(c, outer);
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

  /** The thread's counters when a transfer on {@code channel} is recorded with a woven site; null else. */
  private static IoHooks.Counters counters(FileChannel channel) {
    try {
      if (!IoHooks.enabled || channel == null || channel.getClass() != FILE_CHANNEL) {
        return null;
      }
      IoHooks.Counters c = IoHooks.current();
      return c != null && c.off == 0 ? c : null;
    } catch (Throwable t) {
      return null;
    }
  }

  private static Class<?> fileChannelClass() {
    try {
      return Class.forName("sun.nio.ch.FileChannelImpl", false, null);
    } catch (Throwable t) {
      return null;
    }
  }
}
