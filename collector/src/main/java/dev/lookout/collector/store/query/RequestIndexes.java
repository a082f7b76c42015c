package dev.lookout.collector.store.query;

/**
 * The WHERE terms of the partial request indexes (migration V11), written out as the migration
 * writes them: SQLite uses a partial index only for a query that repeats its term word for word
 * (a bound parameter does not count), so a query meant to use one appends its term.
 */
final class RequestIndexes {

  /** {@code requests_unusual_status_time}: every status class but 2xx. */
  static final int USUAL_STATUS_CLASS = 2;
  static final String UNUSUAL_STATUS = " AND status_class <> 2";
  static final String UNUSUAL_STATUS_INDEX = "requests_unusual_status_time";

  /** {@code requests_slow_time}: duration class 7 on (at least 100 ms, {@code DurationClasses}). */
  static final int FIRST_SLOW_CLASS = 7;
  static final String SLOW = " AND duration_class >= 7";

  private RequestIndexes() {}
}
