package dev.lookout.collector.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a request row that no query filters or sorts on, only a row's item and detail
 * show (client address, exception and log counts, the attribute JSON and every {@link RequestColumns}
 * field), packed into the one {@code details} column. Each bound parameter costs the SQLite writer a
 * JNI call, a UTF-8 copy and a malloc; 17 of a request's 28 parameters become one.
 *
 * <p>Format 1: the byte 1, then in this order: client address (text), exception count, log count
 * (numbers), attribute JSON (text), lifted mask (number), scheme, server address (text), server port
 * (number), user agent, error type (text), socket in, out, calls, nanos, zero-copy bytes, copied bytes
 * (numbers), I/O verdict (text). A number is a zigzag varint; a text is a varint of its UTF-8 length
 * plus one (0: null) and its bytes.
 */
public final class RequestDetails {

  private static final int FORMAT = 1;

  /** What the column holds. */
  public record Unpacked(String clientAddress, int exceptionCount, int logCount, String attributesJson,
      RequestColumns columns) {}

  private RequestDetails() {}

  public static byte[] pack(RequestRecord r) {
    Writer w = new Writer();
    w.buf[w.at++] = FORMAT;
    w.text(r.clientAddress());
    w.number(r.exceptionCount());
    w.number(r.logCount());
    w.text(r.attributesJson());
    RequestColumns c = r.columns();
    w.number(c.lifted());
    w.text(c.scheme());
    w.text(c.serverAddress());
    w.number(c.serverPort());
    w.text(c.userAgent());
    w.text(c.errorType());
    w.number(c.socketIn());
    w.number(c.socketOut());
    w.number(c.socketCalls());
    w.number(c.socketNanos());
    w.number(c.zeroCopyBytes());
    w.number(c.copiedBytes());
    w.text(c.ioVerdict());
    return Arrays.copyOf(w.buf, w.at);
  }

  /** The fields of a {@link #pack}ed column; columns are {@link RequestColumns#NONE} when none was lifted. */
  public static Unpacked unpack(byte[] packed) {
    if (packed.length == 0 || packed[0] != FORMAT) {
      throw new IllegalArgumentException("request details of an unknown format "
          + (packed.length == 0 ? "(empty)" : Integer.toString(packed[0])));
    }
    Reader r = new Reader(packed);
    String clientAddress = r.text();
    int exceptionCount = (int) r.number();
    int logCount = (int) r.number();
    String attributes = r.text();
    int lifted = (int) r.number();
    RequestColumns columns = new RequestColumns(lifted, r.text(), r.text(), r.number(), r.text(), r.text(),
        r.number(), r.number(), r.number(), r.number(), r.number(), r.number(), r.text());
    if (r.at != packed.length) {
      throw new IllegalArgumentException("request details with " + (packed.length - r.at) + " bytes left over");
    }
    return new Unpacked(clientAddress, exceptionCount, logCount, attributes,
        lifted == 0 ? RequestColumns.NONE : columns);
  }

  private static final class Writer {
    byte[] buf = new byte[128];
    int at;

    void room(int n) {
      if (at + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
      }
    }

    void number(long v) {
      varint((v << 1) ^ (v >> 63));
    }

    void varint(long v) {
      room(10);
      while ((v & ~0x7FL) != 0) {
        buf[at++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[at++] = (byte) v;
    }

    void text(String s) {
      if (s == null) {
        varint(0);
        return;
      }
      if (isAscii(s)) {
        int n = s.length();
        varint(n + 1L);
        room(n);
        for (int i = 0; i < n; i++) {
          buf[at + i] = (byte) s.charAt(i); // ASCII: one byte per char, no encoder
        }
        at += n;
      } else {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length + 1L);
        room(b.length);
        System.arraycopy(b, 0, buf, at, b.length);
        at += b.length;
      }
    }

    private static boolean isAscii(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) >= 0x80) {
          return false;
        }
      }
      return true;
    }
  }

  private static final class Reader {
    final byte[] buf;
    int at;

    Reader(byte[] buf) {
      this.buf = buf;
      this.at = 1;
    }

    long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= buf.length) {
          throw new IllegalArgumentException("request details cut short");
        }
        byte b = buf[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("request details with a varint too long");
    }

    long number() {
      long z = varint();
      return (z >>> 1) ^ -(z & 1);
    }

    String text() {
      long n = varint();
      if (n == 0) {
        return null;
      }
      int len = (int) (n - 1);
      if (len < 0 || at + len > buf.length) {
        throw new IllegalArgumentException("request details cut short");
      }
      String s = new String(buf, at, len, StandardCharsets.UTF_8);
      at += len;
      return s;
    }
  }
}
