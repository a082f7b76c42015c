package dev.lookout.collector.store.backend;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

/** Work that needs the write connection, run between batches in its own transaction. */
@FunctionalInterface
public interface WriteTask {

  void run(Connection c) throws SQLException;

  /** Who owns the write connection and runs tasks on it (the store's writer). */
  interface Runner {
    /** Runs {@code task} on the writer's thread; the future completes after its commit. */
    CompletableFuture<Void> execute(WriteTask task) throws InterruptedException;
  }
}
