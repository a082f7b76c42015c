package dev.lookout.collector.store.backend;

import dev.lookout.collector.store.DurationClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database written by an older collector opens, is upgraded in place, and its rows serve the new filters; on each store. */
class MigrationTest {

  @TempDir
  Path dataDir;

  @Test
  void version4DatabaseUpgradesAndKeepsItsRows() throws Exception {
    long now = System.currentTimeMillis();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
         Statement s = c.createStatement()) {
      for (int v = 0; v < 4; v++) {
        for (String sql : Migrations.STEPS.get(v)) {
          s.execute(sql);
        }
      }
      s.execute("PRAGMA user_version = 4");
      for (int i = 0; i < 6; i++) {
        s.execute("INSERT INTO requests (trace_id, span_id, service, method, path, status, duration_ms, start_time)"
            + " VALUES ('" + "ab".repeat(16) + "', '" + Integer.toString(i).repeat(16) + "', 'svc', 'GET', '/old/" + i
            + "', " + (i % 2 == 0 ? 200 : 503) + ", " + (i * 900.5) + ", " + (now - 60_000 + i) + ")");
      }
    }
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      assertThat(c.get("/api/requests?limit=100").get("items")).hasSize(6);
      assertThat(paths(c.get("/api/requests?status=5xx"))).containsExactly("/old/5", "/old/3", "/old/1");
      assertThat(paths(c.get("/api/requests?status=200"))).containsExactly("/old/4", "/old/2", "/old/0");
      assertThat(paths(c.get("/api/requests?minDurationMs=2000"))).containsExactly("/old/5", "/old/4", "/old/3");
      assertThat(paths(c.get("/api/requests?q=old/2"))).containsExactly("/old/2");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME))) {
      assertThat(Migrations.userVersion(c)).isEqualTo(Migrations.STEPS.size());
    }
  }

  @Test
  void version4PostgresDatabaseUpgradesAndKeepsItsRows() throws Exception {
    long now = System.currentTimeMillis();
    String db = TestPostgres.freshDatabase();
    try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement()) {
      for (int v = 0; v < 4; v++) {
        for (String sql : PostgresMigrations.STEPS.get(v)) {
          s.execute(sql);
        }
      }
      s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      s.execute("INSERT INTO schema_version VALUES (4)");
      for (int i = 0; i < 6; i++) {
        s.execute("INSERT INTO requests (id, trace_id, span_id, service, method, path, status, duration_ms, start_time)"
            + " VALUES (" + (i + 1) + ", '" + "ab".repeat(16) + "', '" + Integer.toString(i).repeat(16) + "', 'svc', 'GET',"
            + " '/old/" + i + "', " + (i % 2 == 0 ? 200 : 503) + ", " + (i * 900.5) + ", " + (now - 60_000 + i) + ")");
      }
    }
    try (InProcessCollector c = new InProcessCollector(dataDir, "--db", db)) {
      assertThat(c.get("/api/requests?limit=100").get("items")).hasSize(6);
      assertThat(paths(c.get("/api/requests?status=5xx"))).containsExactly("/old/5", "/old/3", "/old/1");
      assertThat(paths(c.get("/api/requests?status=200"))).containsExactly("/old/4", "/old/2", "/old/0");
      assertThat(paths(c.get("/api/requests?minDurationMs=2000"))).containsExactly("/old/5", "/old/4", "/old/3");
      assertThat(paths(c.get("/api/requests?q=old/2"))).containsExactly("/old/2");
    }
    try (Connection c = TestPostgres.connect(db)) {
      assertThat(PostgresMigrations.version(c)).isEqualTo(PostgresMigrations.STEPS.size());
    }
  }

  @Test
  void aPostgresDatabaseFromANewerCollectorIsRefused() throws Exception {
    String db = TestPostgres.freshDatabase();
    try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      s.execute("INSERT INTO schema_version VALUES (" + (PostgresMigrations.STEPS.size() + 1) + ")");
    }
    assertThatThrownBy(() -> new InProcessCollector(dataDir, "--db", db))
        .hasMessageContaining("newer than this collector understands");
  }

  @Test
  void bothSchemasHaveTheStepsAndBoundsTheQueriesUse() {
    assertThat(PostgresMigrations.STEPS).hasSameSizeAs(Migrations.STEPS);
    String step = String.join("\n", Migrations.STEPS.get(4)).replace("\"", "");
    assertThat(step).contains(DurationClasses.sqlExpression());
    assertThat(String.join("\n", PostgresMigrations.STEPS.get(4))).contains(DurationClasses.sqlExpression());
    // the search column splits words as the search's own words are split
    assertThat(String.join("\n", PostgresMigrations.STEPS.get(1))).contains("'" + PostgresBackend.NOT_A_WORD + "'");
  }

  private static java.util.List<String> paths(JsonNode page) {
    java.util.List<String> out = new java.util.ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("path").asText()));
    return out;
  }
}
