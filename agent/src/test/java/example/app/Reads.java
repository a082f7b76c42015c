package example.app;

import dev.lookout.agent.io.CallSitesProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;

/**
 * An application class that reads files itself: IoCallWeaverTest weaves it. Each read shares its line
 * with a stack walk, so that the woven site can be held against the walked one; each answers
 * {bytes read, walked site}.
 */
public final class Reads {

  private Reads() {}

  public static Object[] stream(InputStream in, byte[] b) throws IOException {
    int n = in.read(b); return new Object[] {n, CallSitesProbe.first()};
  }

  public static Object[] streamRange(InputStream in, byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len); return new Object[] {n, CallSitesProbe.first()};
  }

  public static Object[] file(RandomAccessFile f, byte[] b, int off, int len) throws IOException {
    int n = f.read(b, off, len); return new Object[] {n, CallSitesProbe.first()};
  }

  public static Object[] channel(FileChannel ch, ByteBuffer dst) throws IOException {
    int n = ch.read(dst); return new Object[] {n, CallSitesProbe.first()};
  }

  public static Object[] seekable(SeekableByteChannel ch, ByteBuffer dst) throws IOException {
    int n = ch.read(dst); return new Object[] {n, CallSitesProbe.first()};
  }
}
