package dev.lookout.collector.support;

/** The stores a collector runs on; the store tests run on each. */
public enum Store {
  SQLITE,
  POSTGRESQL;

  /**
   * Collector arguments selecting a fresh, empty store of this kind: none for SQLite (the test's
   * data directory is fresh), {@code --db} with a new database for PostgreSQL. Keep them to
   * restart a collector on the same store.
   */
  public String[] freshArgs() {
    return this == SQLITE ? new String[0] : new String[] {"--db", TestPostgres.freshDatabase()};
  }
}
