package dev.lookout.collector.store;

import java.nio.ByteBuffer;

/**
 * Request durations in 64 logarithmic buckets (each 25 % wider than the last, from 0.1 ms to about
 * two minutes), small enough to keep one per service, route and minute and to merge across any
 * range; percentiles read from it are within one bucket (±12 %) of the exact value.
 */
public final class DurationHistogram {

  static final int BUCKETS = 64;
  private static final double BASE_MS = 0.1;
  private static final double GROWTH = 1.25;
  private static final double LOG_GROWTH = Math.log(GROWTH);

  private final long[] counts = new long[BUCKETS];

  public void add(double ms) {
    counts[bucket(ms)]++;
  }

  static int bucket(double ms) {
    if (ms <= BASE_MS) {
      return 0;
    }
    int b = (int) Math.ceil(Math.log(ms / BASE_MS) / LOG_GROWTH);
    return Math.min(BUCKETS - 1, Math.max(0, b));
  }

  /** The upper bound of bucket {@code b}, in ms. */
  static double upper(int b) {
    return BASE_MS * Math.pow(GROWTH, b);
  }

  public void merge(byte[] other) {
    ByteBuffer in = ByteBuffer.wrap(other);
    for (int i = 0; i < BUCKETS && in.remaining() >= 4; i++) {
      counts[i] += Integer.toUnsignedLong(in.getInt());
    }
  }

  /** Adds {@code other}'s counts to these. */
  public void merge(DurationHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
  }

  public long total() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** The duration below which {@code q} (0..1) of the requests fell; 0 when empty. */
  public double percentile(double q) {
    long total = total();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += counts[b];
      if (seen >= rank) {
        return b == 0 ? BASE_MS : Math.sqrt(upper(b - 1) * upper(b)); // the bucket's geometric middle
      }
    }
    return upper(BUCKETS - 1);
  }

  public byte[] toBytes() {
    ByteBuffer out = ByteBuffer.allocate(BUCKETS * 4);
    for (long c : counts) {
      out.putInt((int) Math.min(c, 0xffffffffL));
    }
    return out.array();
  }
}
