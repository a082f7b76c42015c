package example.app;

import dev.lookout.agent.io.CallSitesProbe;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * An application class that transfers files itself: IoCallWeaverTest weaves it. Each transfer
 * shares its line with a stack walk, so that the woven site can be held against the walked one.
 */
public final class Transfers {

  public static final int SEND_LINE = 20;
  public static final int RECEIVE_LINE = 24;

  public static String send(FileChannel in, WritableByteChannel out) throws IOException {
    long n = in.size();
    in.transferTo(0, n, out); return CallSitesProbe.first();
  }

  public static String receive(FileChannel file, ReadableByteChannel source, long count) throws IOException {
    file.transferFrom(source, 0, count); return CallSitesProbe.first();
  }

  /** Channel methods that are no transfer stay as they are. */
  public static long size(FileChannel in) throws IOException {
    return in.size();
  }
}
