package dev.lookout.collector.store.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Puts the writer's connection back into an open transaction after a failure. On SQLITE_FULL or
 * SQLITE_IOERR, SQLite may already have rolled the transaction back by itself; the driver's
 * {@code rollback()} then fails ("no transaction is active") before it begins the next one, and
 * without this every later insert would commit on its own: a batch could be half stored and
 * answered 503, then stored twice when the agent retries.
 */
final class WriteTransactions {

  private WriteTransactions() {}

  static void rollbackAndBegin(Connection c) {
    try {
      c.rollback(); // the driver rolls back and begins the next transaction
      return;
    } catch (SQLException alreadyRolledBack) {
      // SQLite rolled back itself; begin here what the driver could not
    }
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN");
    } catch (SQLException stillInTransaction) {
      // a transaction is open after all: nothing to restore
    }
  }
}
