package dev.lookout.it.support;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL that {@code scripts/test.sh} starts ({@code scripts/postgres-test.sh}) and
 * names in {@code LOOKOUT_TEST_POSTGRES}; each test takes a database of its own.
 */
public final class TestPostgres {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private TestPostgres() {}

  /** A new, empty database, as a collector {@code --db} URL; fails (never skips) without a server. */
  public static String freshDatabase() {
    String server = System.getenv("LOOKOUT_TEST_POSTGRES");
    if (server == null || server.isBlank()) {
      throw new AssertionError("LOOKOUT_TEST_POSTGRES is not set, so the PostgreSQL tests cannot run: run the tests"
          + " with scripts/test.sh, which starts a throwaway PostgreSQL (scripts/postgres-test.sh) and sets it");
    }
    String name = "lookout_it" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet();
    try (Connection c = DriverManager.getConnection("jdbc:" + server); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError("cannot create a test database on " + server + ": " + e.getMessage(), e);
    }
    URI u = URI.create(server);
    return u.getScheme() + "://" + u.getRawAuthority() + "/" + name + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}
