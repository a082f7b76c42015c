package dev.lookout.collector.store.write;

import dev.lookout.collector.store.backend.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Named totals kept in the database, updated in the transaction of what they count. */
public final class Counters {

  private Counters() {}

  public static void add(Connection c, String name, long delta) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO counters (name, value) VALUES (?, ?)"
        + " ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value")) {
      st.setString(1, name);
      st.setLong(2, delta);
      st.executeUpdate();
    }
  }

  public static long read(Database db, String name) {
    try {
      return db.read(c -> {
        try (PreparedStatement st = c.prepareStatement("SELECT value FROM counters WHERE name = ?")) {
          st.setString(1, name);
          try (ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        }
      });
    } catch (SQLException e) {
      return 0;
    }
  }
}
