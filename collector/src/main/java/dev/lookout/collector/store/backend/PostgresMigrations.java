package dev.lookout.collector.store.backend;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema on PostgreSQL: the same versioned, forward-only steps as {@link Migrations} (step i
 * here is step i there, in PostgreSQL's types), tracked in a one-row {@code schema_version}
 * table. DDL is transactional here, so a step and its version commit together or not at all.
 */
final class PostgresMigrations {

  /** Index i upgrades version i to i+1: {@code db/postgresql/}, in the order of {@link MigrationScripts#STEPS}. */
  static final List<List<String>> STEPS = MigrationScripts.of("postgresql");

  private PostgresMigrations() {}

  static void apply(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      c.commit();
    }
    Migrations.apply(c, STEPS, new Migrations.SchemaVersion() {
      @Override
      public int read(Connection connection) throws SQLException {
        return version(connection);
      }

      @Override
      public void write(Statement s, int version) throws SQLException {
        s.execute("DELETE FROM schema_version");
        s.execute("INSERT INTO schema_version (version) VALUES (" + version + ")");
      }
    });
  }

  static int version(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
