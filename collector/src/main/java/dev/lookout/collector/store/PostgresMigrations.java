package dev.lookout.collector.store;

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

  /** Index i upgrades version i to i+1. Never edit a released step: append a new one. */
  static final List<List<String>> STEPS = List.of(
      List.of(
          "CREATE TABLE requests ("
              + " id BIGINT PRIMARY KEY,"
              + " trace_id TEXT NOT NULL,"
              + " span_id TEXT NOT NULL,"
              + " service TEXT NOT NULL,"
              + " method TEXT NOT NULL,"
              + " path TEXT NOT NULL,"
              + " route TEXT,"
              + " query TEXT,"
              + " status INTEGER NOT NULL,"
              + " duration_ms DOUBLE PRECISION NOT NULL,"
              + " start_time BIGINT NOT NULL,"
              + " client_address TEXT,"
              + " exception_count INTEGER NOT NULL DEFAULT 0,"
              + " log_count INTEGER NOT NULL DEFAULT 0,"
              + " attributes TEXT)",
          "CREATE INDEX requests_time ON requests(start_time)",
          "CREATE INDEX requests_service_time ON requests(service, start_time)",
          "CREATE INDEX requests_status_time ON requests(status, start_time)"),
      // 2: log records (full-text searchable through a generated tsvector) and exception occurrences.
      List.of(
          "CREATE TABLE logs ("
              + " id BIGINT PRIMARY KEY,"
              + " time BIGINT NOT NULL,"
              + " service TEXT NOT NULL,"
              + " level INTEGER NOT NULL,"
              + " logger TEXT,"
              + " thread TEXT,"
              + " message TEXT,"
              + " exception TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT,"
              // the first 200,000 characters: a tsvector is at most 1 MB, and a longer one would fail the commit
              + " search tsvector GENERATED ALWAYS AS (to_tsvector('simple', regexp_replace(left(coalesce(message, '')"
              + " || ' ' || coalesce(exception, ''), 200000), '[^[:alnum:]]+', ' ', 'g'))) STORED)",
          "CREATE INDEX logs_time ON logs(time)",
          "CREATE INDEX logs_service_time ON logs(service, time)",
          // a small pending list: inserts stay cheap, and it cannot hold megabytes against the size cap
          "CREATE INDEX logs_search ON logs USING gin (search) WITH (gin_pending_list_limit = 512)",
          "CREATE TABLE exceptions ("
              + " id BIGINT PRIMARY KEY,"
              + " time BIGINT NOT NULL,"
              + " service TEXT NOT NULL,"
              + " fingerprint TEXT NOT NULL,"
              + " type TEXT NOT NULL,"
              + " message TEXT,"
              + " stacktrace TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT,"
              + " source TEXT NOT NULL)",
          "CREATE INDEX exceptions_time ON exceptions(time)",
          "CREATE INDEX exceptions_service_time ON exceptions(service, time)"),
      // 3: per-minute request rollups for charts, and counters that survive restarts.
      List.of(
          "CREATE TABLE request_rollups ("
              + " service TEXT NOT NULL,"
              + " minute BIGINT NOT NULL,"
              + " route TEXT NOT NULL,"
              + " count BIGINT NOT NULL,"
              + " errors BIGINT NOT NULL,"
              + " total_ms DOUBLE PRECISION NOT NULL,"
              + " max_ms DOUBLE PRECISION NOT NULL,"
              + " histogram BYTEA NOT NULL,"
              + " PRIMARY KEY (service, minute, route))",
          "CREATE INDEX request_rollups_minute ON request_rollups(minute)",
          "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"),
      // 4: socket and file-channel I/O.
      List.of(
          "CREATE TABLE io ("
              + " id BIGINT PRIMARY KEY,"
              + " time BIGINT NOT NULL,"
              + " service TEXT NOT NULL,"
              + " path TEXT NOT NULL,"
              + " call_site TEXT NOT NULL,"
              + " kind TEXT NOT NULL,"
              + " calls BIGINT NOT NULL,"
              + " bytes BIGINT NOT NULL,"
              + " zero_copy_bytes BIGINT NOT NULL,"
              + " copied_bytes BIGINT NOT NULL,"
              + " mechanism TEXT NOT NULL,"
              + " verdict TEXT NOT NULL,"
              + " reason TEXT,"
              + " nanos BIGINT NOT NULL,"
              + " source TEXT,"
              + " target TEXT,"
              + " trace_id TEXT,"
              + " span_id TEXT)",
          "CREATE INDEX io_time ON io(time)",
          "CREATE INDEX io_service_time ON io(service, time)"),
      // 5: status and duration classes indexed with the start time (see Migrations step 5).
      // PostgreSQL 15 generates STORED columns only.
      List.of(
          "ALTER TABLE requests ADD COLUMN status_class INTEGER GENERATED ALWAYS AS (status / 100) STORED",
          "ALTER TABLE requests ADD COLUMN duration_class INTEGER GENERATED ALWAYS AS ("
              + "CASE WHEN duration_ms < 1 THEN 0 WHEN duration_ms < 2 THEN 1 WHEN duration_ms < "
              + "5 THEN 2 WHEN duration_ms < 10 THEN 3 WHEN duration_ms < 20 THEN 4 WHEN duration"
              + "_ms < 50 THEN 5 WHEN duration_ms < 100 THEN 6 WHEN duration_ms < 200 THEN 7 WHEN"
              + " duration_ms < 500 THEN 8 WHEN duration_ms < 1000 THEN 9 WHEN duration_ms < 2000"
              + " THEN 10 WHEN duration_ms < 5000 THEN 11 WHEN duration_ms < 10000 THEN 12 WHEN d"
              + "uration_ms < 30000 THEN 13 WHEN duration_ms < 60000 THEN 14 ELSE 15 END) STORED",
          "DROP INDEX requests_status_time",
          "CREATE INDEX requests_status_class_time ON requests(status_class, start_time)",
          "CREATE INDEX requests_duration_class_time ON requests(duration_class, start_time)"),
      // 6: see Migrations step 6.
      List.of("ALTER TABLE io ADD COLUMN units BIGINT NOT NULL DEFAULT 1"),
      // 7: see Migrations step 7; one statement, so that the table is rewritten at most once.
      List.of("ALTER TABLE requests ADD COLUMN lifted INTEGER NOT NULL DEFAULT 0, ADD COLUMN scheme TEXT,"
          + " ADD COLUMN server_address TEXT, ADD COLUMN server_port BIGINT NOT NULL DEFAULT 0,"
          + " ADD COLUMN user_agent TEXT, ADD COLUMN error_type TEXT,"
          + " ADD COLUMN socket_in BIGINT NOT NULL DEFAULT 0, ADD COLUMN socket_out BIGINT NOT NULL DEFAULT 0,"
          + " ADD COLUMN socket_calls BIGINT NOT NULL DEFAULT 0, ADD COLUMN socket_nanos BIGINT NOT NULL DEFAULT 0,"
          + " ADD COLUMN zero_copy_bytes BIGINT NOT NULL DEFAULT 0, ADD COLUMN copied_bytes BIGINT NOT NULL DEFAULT 0,"
          + " ADD COLUMN io_verdict TEXT"),
      // 8: nothing: SQLite's step hands its log search index to the writer; here it is a generated column.
      List.of());

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
