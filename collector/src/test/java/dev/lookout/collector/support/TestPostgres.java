package dev.lookout.collector.support;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real PostgreSQL the tests run against: one server per test JVM, started on first use
 * ({@link PostgresServer}). Each test gets a database of its own, so no test sees another's rows.
 * The integration tests use it too (this module's test jar).
 */
public final class TestPostgres {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private TestPostgres() {}

  /** The server's URL ({@code postgresql://host:port/db?user=…}); fails, not skips, when it cannot start. */
  public static String serverUrl() {
    return PostgresServer.url();
  }

  /** A new, empty database on the test server, as a {@code --db} URL. */
  public static String freshDatabase() {
    String server = serverUrl();
    String name = "lookout_t" + ProcessHandle.current().pid() + "_" + COUNT.incrementAndGet() + "_"
        + Long.toHexString(System.nanoTime() & 0xffffff);
    try (Connection c = DriverManager.getConnection("jdbc:" + server); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError("cannot create a test database on " + server + ": " + e.getMessage(), e);
    }
    return withDatabase(server, name);
  }

  /** A JDBC connection to a {@code --db} URL, for a test that looks at or prepares the database itself. */
  public static Connection connect(String dbUrl) throws SQLException {
    return DriverManager.getConnection("jdbc:" + dbUrl);
  }

  private static String withDatabase(String url, String database) {
    URI u = URI.create(url);
    return u.getScheme() + "://" + u.getRawAuthority() + "/" + database
        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
  }
}
