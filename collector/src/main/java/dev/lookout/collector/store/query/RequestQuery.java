package dev.lookout.collector.store.query;

import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Globs;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The filters of {@code GET /api/requests} and {@code /api/live}, already validated. Null means
 * "no filter". The same object filters stored rows (as SQL) and live rows (in memory), so both
 * views always agree.
 */
public record RequestQuery(
    String service,
    String method,
    Integer status,
    Integer statusClass,
    String pathGlob,
    Pattern pathRegex,
    String text,
    Long from,
    Long to,
    Double minDurationMs,
    int limit,
    Cursor cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  /** Position after the last row of a page, newest first: (start_time, id) descending. */
  public record Cursor(long startTime, long id) {}

  /** This filter as a predicate over live rows; the glob is compiled once, here. */
  public Predicate<RequestRecord> predicate() {
    Pattern glob = pathGlob == null ? null : Globs.toRegex(pathGlob);
    return r -> matches(r, glob);
  }

  private boolean matches(RequestRecord r, Pattern glob) {
    return (service == null || service.equals(r.service()))
        && (method == null || method.equalsIgnoreCase(r.method()))
        && (status == null || status == r.status())
        && (statusClass == null || r.status() / 100 == statusClass)
        && (glob == null || glob.matcher(r.path()).matches())
        && (pathRegex == null || pathRegex.matcher(r.path()).find())
        && (text == null || contains(r.path(), text) || contains(r.query(), text) || contains(r.route(), text))
        && (from == null || r.startTime() >= from)
        && (to == null || r.startTime() < to)
        && (minDurationMs == null || r.durationMs() >= minDurationMs);
  }

  private static boolean contains(String haystack, String needle) {
    return haystack != null && haystack.toLowerCase().contains(needle.toLowerCase());
  }
}
