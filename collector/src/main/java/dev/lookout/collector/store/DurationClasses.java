package dev.lookout.collector.store;

/**
 * Requests' durations in coarse classes (under 1 ms, 1-2 ms, 2-5 ms, ... 60 s and more). The
 * requests table carries the class as a generated column indexed with the start time, so a
 * minimum-duration filter walks, per class that can hold a match, that class's rows newest first
 * and stops at a page, instead of scanning the table for rare slow requests. Few classes keep the
 * index's insertion points few (and so ingest cheap).
 */
public final class DurationClasses {

  /** Exclusive upper bounds in ms of classes 0 … n-1; class n holds the rest. */
  static final double[] UPPER_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000};

  private DurationClasses() {}

  /** The column's definition: the same bounds as a CASE expression. */
  public static String sqlExpression() {
    StringBuilder sql = new StringBuilder("CASE");
    for (int i = 0; i < UPPER_MS.length; i++) {
      sql.append(" WHEN duration_ms < ").append(plain(UPPER_MS[i])).append(" THEN ").append(i);
    }
    return sql.append(" ELSE ").append(UPPER_MS.length).append(" END").toString();
  }

  /** The first class that can hold a duration of at least {@code minMs}; every later one can too. */
  public static int firstClassFor(double minMs) {
    for (int i = 0; i < UPPER_MS.length; i++) {
      if (minMs < UPPER_MS[i]) {
        return i;
      }
    }
    return UPPER_MS.length;
  }

  public static int lastClass() {
    return UPPER_MS.length;
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
