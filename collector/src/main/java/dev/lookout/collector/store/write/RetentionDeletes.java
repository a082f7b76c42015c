package dev.lookout.collector.store.write;

import dev.lookout.collector.store.RecordKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The deletes retention makes, each on the writer's connection inside a task of its own: the oldest
 * rows of a kind, and request rollups older than the longest age kept. Each counts what it removed
 * in the kind's {@code retention.deleted.<signal>} counter, in the same transaction.
 */
public final class RetentionDeletes {

  private RetentionDeletes() {}

  /** The counter of rows retention removed from {@code kind}. */
  public static String counterOf(RecordKind kind) {
    return "retention.deleted." + kind.signal();
  }

  /** Deletes up to {@code limit} rows of {@code kind} older than {@code cutoff}, oldest first; returns how many. */
  public static int olderThan(Connection c, RecordKind kind, long cutoff, int limit) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + kind.table + " WHERE id IN (SELECT id FROM "
        + kind.table + " WHERE " + kind.timeColumn + " < ? ORDER BY " + kind.timeColumn + " LIMIT " + limit + ")")) {
      st.setLong(1, cutoff);
      return counted(c, kind, st.executeUpdate());
    }
  }

  /** Deletes the {@code rows} oldest rows of {@code kind} (by id, which is arrival order); returns how many. */
  public static int oldest(Connection c, RecordKind kind, int rows) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM " + kind.table + " WHERE id IN (SELECT id FROM "
        + kind.table + " ORDER BY id LIMIT ?)")) {
      st.setInt(1, rows);
      return counted(c, kind, st.executeUpdate());
    }
  }

  /** Deletes the request rollups of minutes before {@code minute}. */
  public static void rollupsBefore(Connection c, long minute) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("DELETE FROM request_rollups WHERE minute < " + minute);
    }
  }

  private static int counted(Connection c, RecordKind kind, int n) throws SQLException {
    if (n > 0) {
      Counters.add(c, counterOf(kind), n);
    }
    return n;
  }
}
