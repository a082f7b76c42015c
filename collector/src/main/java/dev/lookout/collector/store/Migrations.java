package dev.lookout.collector.store;

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


  /** Index i upgrades version i to i+1. Never edit a released step: append a new one. */
  static final List<List<String>> STEPS = List.of(
      List.of(
          "CREATE TABLE requests ("
              + " id INTEGER PRIMARY KEY,"
              + " trace_id TEXT NOT NULL,"
              + " span_id TEXT NOT NULL,"
              + " service TEXT NOT NULL,"
              + " method TEXT NOT NULL,"
              + " path TEXT NOT NULL,"
              + " route TEXT,"
              + " query TEXT,"
              + " status INTEGER NOT NULL,"
              + " duration_ms REAL NOT NULL,"
              + " start_time INTEGER NOT NULL,"
              + " client_address TEXT,"
              + " exception_count INTEGER NOT NULL DEFAULT 0,"
              + " log_count INTEGER NOT NULL DEFAULT 0,"
              + " attributes TEXT)",
          // Time-ordered indexes only: they serve the API's filters at ~100k rows/s of ingest (MEASURED.md).
          "CREATE INDEX requests_time ON requests(start_time)",
          "CREATE INDEX requests_service_time ON requests(service, start_time)",
          "CREATE INDEX requests_status_time ON requests(status, start_time)"),
      // 2: log records (with full-text search) and exception occurrences.
      List.of(
          "CREATE TABLE logs ("
              + " id INTEGER PRIMARY KEY,"
              + " time INTEGER NOT NULL,"
              + " service TEXT NOT NULL,"
              + " level INTEGER NOT NULL," // 1 TRACE .. 5 ERROR, so that 'at least WARN' is a range
              + " logger TEXT,"
              + " thread TEXT,"
              + " message TEXT,"
              + " exception TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT)",
          "CREATE INDEX logs_time ON logs(time)",
          "CREATE INDEX logs_service_time ON logs(service, time)",
          "CREATE VIRTUAL TABLE logs_fts USING fts5(message, exception, content='logs', content_rowid='id')",
          "CREATE TRIGGER logs_fts_insert AFTER INSERT ON logs BEGIN"
              + " INSERT INTO logs_fts(rowid, message, exception) VALUES (new.id, new.message, new.exception); END",
          "CREATE TRIGGER logs_fts_delete AFTER DELETE ON logs BEGIN"
              + " INSERT INTO logs_fts(logs_fts, rowid, message, exception)"
              + " VALUES ('delete', old.id, old.message, old.exception); END",
          "CREATE TABLE exceptions ("
              + " id INTEGER PRIMARY KEY,"
              + " time INTEGER NOT NULL,"
              + " service TEXT NOT NULL,"
              + " fingerprint TEXT NOT NULL,"
              + " type TEXT NOT NULL,"
              + " message TEXT,"
              + " stacktrace TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT,"
              + " source TEXT NOT NULL)", // request | log | uncaught
          "CREATE INDEX exceptions_time ON exceptions(time)",
          "CREATE INDEX exceptions_service_time ON exceptions(service, time)"),
      // 3: per-minute request rollups for charts, and counters that survive restarts.
      List.of(
          "CREATE TABLE request_rollups ("
              + " service TEXT NOT NULL,"
              + " minute INTEGER NOT NULL," // epoch minute
              + " route TEXT NOT NULL,"      // the route, else the path
              + " count INTEGER NOT NULL,"
              + " errors INTEGER NOT NULL,"
              + " total_ms REAL NOT NULL,"
              + " max_ms REAL NOT NULL,"
              + " histogram BLOB NOT NULL,"  // DurationHistogram buckets
              + " PRIMARY KEY (service, minute, route)) WITHOUT ROWID",
          "CREATE INDEX request_rollups_minute ON request_rollups(minute)",
          "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID"),
      // 4: socket and file-channel I/O, one row per unit of work (request, or "-") and call site/kind/mechanism.
      List.of(
          "CREATE TABLE io ("
              + " id INTEGER PRIMARY KEY,"
              + " time INTEGER NOT NULL,"
              + " service TEXT NOT NULL,"
              + " path TEXT NOT NULL," // the request's route or path, "-" outside requests
              + " call_site TEXT NOT NULL,"
              + " kind TEXT NOT NULL," // transferTo | transferFrom | socket | copy-loop
              + " calls INTEGER NOT NULL,"
              + " bytes INTEGER NOT NULL,"
              + " zero_copy_bytes INTEGER NOT NULL,"
              + " copied_bytes INTEGER NOT NULL,"
              + " mechanism TEXT NOT NULL," // sendfile | copy_file_range | mmap | user-copy
              + " verdict TEXT NOT NULL," // zero-copy | fallback | candidate | tls-blocked | none
              + " reason TEXT,"
              + " nanos INTEGER NOT NULL,"
              + " source TEXT,"
              + " target TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT)",
          // time-ordered only (MEASURED.md); a trace's rows are found within its request's time range
          "CREATE INDEX io_time ON io(time)",
          "CREATE INDEX io_service_time ON io(service, time)"),
      // 5: indexes for the rare-match request filters. Status class (5xx) and a coarse duration
      // class are generated columns indexed with the start time, so "5xx" and "at least 2 s" walk
      // their rows newest first instead of scanning the table. The class index replaces the exact
      // status one (an exact status is found within its class), so ingest keeps the same index count
      // but for the duration one, whose few distinct prefixes keep its inserts at the index's edges.
      List.of(
          "ALTER TABLE requests ADD COLUMN status_class INTEGER GENERATED ALWAYS AS (status / 100) VIRTUAL",
          "ALTER TABLE requests ADD COLUMN duration_class INTEGER GENERATED ALWAYS AS ("
              // the bounds of DurationClasses, written out: a released step never changes
              + "CASE WHEN duration_ms < 1 THEN 0 WHEN duration_ms < 2 THEN 1 WHEN duration_ms < "
              + "5 THEN 2 WHEN duration_ms < 10 THEN 3 WHEN duration_ms < 20 THEN 4 WHEN duration"
              + "_ms < 50 THEN 5 WHEN duration_ms < 100 THEN 6 WHEN duration_ms < 200 THEN 7 WHEN"
              + " duration_ms < 500 THEN 8 WHEN duration_ms < 1000 THEN 9 WHEN duration_ms < 2000"
              + " THEN 10 WHEN duration_ms < 5000 THEN 11 WHEN duration_ms < 10000 THEN 12 WHEN d"
              + "uration_ms < 30000 THEN 13 WHEN duration_ms < 60000 THEN 14 ELSE 15 END) VIRTUAL",
          "DROP INDEX requests_status_time",
          "CREATE INDEX requests_status_class_time ON requests(status_class, start_time)",
          "CREATE INDEX requests_duration_class_time ON requests(duration_class, start_time)"),
      // 6: a row may add up several units of work (plain socket traffic, summed at ingest).
      List.of("ALTER TABLE io ADD COLUMN units INTEGER NOT NULL DEFAULT 1"),
      // 7: the attributes every agent span carries, socket figures included, in columns of their own
      // (RequestColumns) instead of each row's attribute JSON; "lifted" says which a row's span had.
      List.of(
          "ALTER TABLE requests ADD COLUMN lifted INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN scheme TEXT",
          "ALTER TABLE requests ADD COLUMN server_address TEXT",
          "ALTER TABLE requests ADD COLUMN server_port INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN user_agent TEXT",
          "ALTER TABLE requests ADD COLUMN error_type TEXT",
          "ALTER TABLE requests ADD COLUMN socket_in INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN socket_out INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN socket_calls INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN socket_nanos INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN zero_copy_bytes INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN copied_bytes INTEGER NOT NULL DEFAULT 0",
          "ALTER TABLE requests ADD COLUMN io_verdict TEXT"),
      // 8: log records are indexed for search by the writer, a commit's rows in one statement
      // (SqliteBackend.afterInsert): the row-by-row trigger made FTS5 half of what a log record cost.
      List.of("DROP TRIGGER logs_fts_insert"));

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
