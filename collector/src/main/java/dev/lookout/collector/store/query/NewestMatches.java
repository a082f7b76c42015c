package dev.lookout.collector.store.query;

import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.FullTextTarget;
import dev.lookout.collector.store.backend.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Newest-first pages of rows that a full-text index matches, without reading every match. A
 * common word matches millions of rows, and sorting them all by time to show fifty is what made
 * such searches slow; a rare word matches few rows, and walking the time index to find them is
 * what makes the other plan slow. So the index is asked only for matches among the newest ids
 * (ids are handed out in arrival order, which is time order but for late arrivals), in a window
 * that grows eightfold until the page is full and provably complete: no row outside the window is
 * newer than the page's last row. A rare word ends with the window covering the table, which
 * costs no more than its few matches.
 */
final class NewestMatches {

  /** Ids in the first window: a page of a word in one row in eighty fits in it. */
  static final long FIRST_WINDOW = 4_096;
  private static final long GROWTH = 8;
  /**
   * What fetching, joining and sorting one match costs, in entries of the time index walked to prove
   * a page complete (a rough ratio: a row fetched by id against an index entry read in order).
   */
  static final long MATCH_COST = 32;

  private NewestMatches() {}

  /**
   * The first {@code limit + 1} rows (newest first by time, then id) that contain every one of {@code words} and
   * the {@code filters} (" AND …" clauses, the cursor's included). {@code cursorId} is the cursor's
   * id, or null on the first page; {@code upperTime} the exclusive upper time bound, if any.
   */
  static <T> List<T> find(Database database, FullTextTarget t, List<String> words, Sql filters, Long cursorId, int limit,
      Sql.RowReader<T> reader, Row<T> row) throws SQLException {
    return database.read(c -> {
      long maxId = scalar(c, "SELECT coalesce(max(id), 0) FROM " + t.table());
      long minId = scalar(c, "SELECT coalesce(min(id), 0) FROM " + t.table());
      long top = cursorId == null ? maxId : Math.min(maxId, cursorId);
      long window = FIRST_WINDOW;
      boolean lastFilled = true; // the first window has no window before it to bound its matches
      while (true) {
        long low = top - window; // the window is every id above low
        boolean whole = low < minId || (!lastFilled && fewerToSortThanToWalk(window, top - minId, limit));
        Sql sql = database.backend().fullTextMatches(t, words, whole ? null : low);
        sql.append(filters).append(database.backend().fullTextOrder(t) + " LIMIT ?", limit + 1);
        List<T> rows = sql.query(c, reader);
        if (whole) {
          return rows;
        }
        lastFilled = rows.size() == limit + 1;
        if (lastFilled) {
          // Complete unless a row left out (id <= low) is newer than the last row found.
          T last = rows.get(limit);
          Sql older = new Sql("SELECT 1 FROM " + t.table() + " WHERE " + t.timeColumn() + " > ? AND id <= ?",
              row.time(last), low);
          older.append(filters).append(" LIMIT 1");
          if (older.query(c, rs -> 1).isEmpty()) {
            return rows;
          }
        }
        window *= GROWTH;
      }
    });
  }

  /**
   * Whether the whole id range ({@code span} ids) is cheaper to search than proving a page from
   * this {@code window} complete, given that the window before it (window / GROWTH ids) held fewer
   * than {@code limit + 1} matches. Proving walks the time index over the rows newer than the page's
   * last, at least that smaller window's worth; the whole range holds at most (limit + 1) matches
   * per smaller window, each fetched and sorted. A rare word at 10 M rows filled its page only in a
   * 2 M-id window, and the walk over half a million index entries was most of its search's time.
   */
  static boolean fewerToSortThanToWalk(long window, long span, int limit) {
    long walked = window / GROWTH;
    double matches = (double) (limit + 1) * span / walked;
    return matches * MATCH_COST <= walked;
  }

  /** Reads the time of a row found. */
  interface Row<T> {
    long time(T row);
  }

  private static long scalar(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
