package dev.lookout.agent.record;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Trace and span ids as longs, made and parsed without allocating. Trace ids carry the epoch
 * second they were made in their first 32 bits, the rest random (the AWS X-Ray layout): the
 * collector keeps no index on trace ids, which would cost its ingest rate six times over, and
 * finds a trace through its time index instead.
 */
public final class TraceIds {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private TraceIds() {}

  /** The high half of a new trace id made at {@code epochNanos} (the span's start: no clock read of its own). */
  public static long newTraceIdHigh(long epochNanos) {
    return (epochNanos / 1_000_000_000L) << 32 | (ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  /** A random id that is never 0 (the invalid id). */
  public static long newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return id;
  }

  /**
   * Reads a W3C {@code traceparent} ({@code 00-<32 hex>-<16 hex>-<2 hex>}) into {@code into}: trace id
   * high and low, parent span id, flags. Returns false (and leaves {@code into} as it was) when the
   * header is not a valid version-00-compatible traceparent or carries an all-zero id.
   */
  public static boolean parseTraceparent(String header, long[] into) {
    if (header == null || header.length() < 55 || header.charAt(2) != '-' || header.charAt(35) != '-'
        || header.charAt(52) != '-') {
      return false;
    }
    if (header.startsWith("ff") || (header.startsWith("00") && header.length() != 55)
        || (header.length() > 55 && header.charAt(55) != '-')) {
      return false;
    }
    long version = hex(header, 0, 2);
    long high = hex(header, 3, 19);
    long low = hex(header, 19, 35);
    long parent = hex(header, 36, 52);
    long flags = hex(header, 53, 55);
    if (version < 0 || flags < 0 || !valid(header, 3, 35) || !valid(header, 36, 52)) {
      return false;
    }
    if ((high == 0 && low == 0) || parent == 0) {
      return false;
    }
    into[0] = high;
    into[1] = low;
    into[2] = parent;
    into[3] = flags;
    return true;
  }

  private static boolean valid(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (digit(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The value of the lower-case hex digits in {@code [from, to)}, at most 16; -1 for a bad digit when short. */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = digit(s.charAt(i));
      if (d < 0) {
        return -1;
      }
      v = v << 4 | d;
    }
    return v;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  public static String traceIdHex(long high, long low) {
    byte[] id = new byte[32];
    hex(high, id, 0);
    hex(low, id, 16);
    return new String(id, StandardCharsets.ISO_8859_1); // one Latin-1 copy, no char[] to compress
  }

  public static String spanIdHex(long id) {
    byte[] out = new byte[16];
    hex(id, out, 0);
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static void hex(long value, byte[] into, int offset) {
    for (int i = 15; i >= 0; i--) {
      into[offset + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

}
