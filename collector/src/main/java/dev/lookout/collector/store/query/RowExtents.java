package dev.lookout.collector.store.query;

import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.backend.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** How many rows a kind holds and how old its oldest is, for retention and the stats route. */
public final class RowExtents {

  private final Database database;

  public RowExtents(Database database) {
    this.database = database;
  }

  /** The rows and the oldest time of a kind; {@code oldest} is -1 when it has none (or no table yet). */
  public record Extent(long rows, long oldest) {}

  /** max(id) - min(id) + 1: exact while deletes take the oldest rows, and O(1) unlike count(*). */
  public long estimatedRows(RecordKind kind) throws SQLException {
    return database.read(c -> {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT coalesce(max(id) - min(id) + 1, 0) FROM " + kind.table)) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    });
  }

  /** The time of the first row stored (the lowest id), or null when there is none. */
  public Long firstRowTime(RecordKind kind) throws SQLException {
    return database.read(c -> {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT " + kind.timeColumn + " FROM " + kind.table + " ORDER BY id LIMIT 1")) {
        return rs.next() ? rs.getLong(1) : null;
      }
    });
  }

  /** count(*) and the oldest time, exact. */
  public Extent exact(RecordKind kind) throws SQLException {
    return database.read(c -> {
      try (Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT count(*), min(" + kind.timeColumn + ") FROM " + kind.table)) {
        rs.next();
        return new Extent(rs.getLong(1), rs.getObject(2) == null ? -1 : rs.getLong(2));
      } catch (SQLException noTable) {
        return new Extent(0, -1);
      }
    });
  }
}
