package dev.lookout.collector.store.backend;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Forward-only schema migrations, tracked in {@code PRAGMA user_version}. A database written by an
 * older collector opens and is upgraded in place; one from a newer collector is refused.
 */
final class Migrations {

  /** Index i upgrades version i to i+1: {@code db/sqlite/}, in the order of {@link MigrationScripts#STEPS}. */
  static final List<List<String>> STEPS = MigrationScripts.of("sqlite");

  private Migrations() {}

  static void apply(Connection c) throws SQLException {
    apply(c, STEPS, new SchemaVersion() {
      @Override
      public int read(Connection connection) throws SQLException {
        return userVersion(connection);
      }

      @Override
      public void write(Statement s, int version) throws SQLException {
        s.execute("PRAGMA user_version = " + version);
      }
    });
  }

  /** Where a database keeps the number of steps applied to it. */
  interface SchemaVersion {
    int read(Connection c) throws SQLException;

    /** Inside the step's own transaction, so a step and its number commit together. */
    void write(Statement s, int version) throws SQLException;
  }

  /** Applies the steps after the database's version, each in its own transaction; refuses a newer schema. */
  static void apply(Connection c, List<List<String>> steps, SchemaVersion tracked) throws SQLException {
    int version = tracked.read(c);
    if (version > steps.size()) {
      throw new SQLException("database schema version " + version + " is newer than this collector understands ("
          + steps.size() + "); use a newer collector");
    }
    try (Statement s = c.createStatement()) {
      for (int v = version; v < steps.size(); v++) {
        for (String sql : steps.get(v)) {
          s.execute(sql);
        }
        tracked.write(s, v + 1);
        c.commit();
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  static int userVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA user_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
