package dev.lookout.collector.store.backend;

import dev.lookout.collector.startup.StartupException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The store: one connection for the single writer, a small pool of connections for queries, and
 * the versioned schema, in SQLite (the default) or PostgreSQL ({@code --db postgresql://…}).
 */
public final class Database implements AutoCloseable {

  public static final String FILE_NAME = "lookout.db";
  private static final int READERS = 4;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
  /** While the server is away, one attempt a second to reconnect the writer, not one per batch. */
  private static final long RECONNECT_PAUSE_NANOS = 1_000_000_000L;

  private final Backend backend;
  private volatile Connection writeConnection;
  /** When the writer may next try to reconnect (writer thread only). */
  private long nextReconnect = System.nanoTime();
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final StorageHealth health;

  private Database(Backend backend, Connection writeConnection) {
    this.backend = backend;
    this.writeConnection = writeConnection;
    this.health = new StorageHealth(backend.description());
  }

  /** SQLite in {@code dataDir}. */
  public static Database open(Path dataDir) {
    return open(dataDir, null);
  }

  /** PostgreSQL when {@code url} is a {@code postgresql://} URL, else SQLite in {@code dataDir}. */
  public static Database open(Path dataDir, String url) {
    Backend backend = url == null || url.isBlank() ? new SqliteBackend(dataDir.resolve(FILE_NAME))
        : new PostgresBackend(PostgresUrl.parse(url));
    Connection writer;
    try {
      writer = backend.openWriter();
    } catch (SQLException e) {
      throw new StartupException("cannot open " + backend.description() + ": " + e.getMessage(), e);
    }
    Database db = new Database(backend, writer);
    try {
      for (int i = 0; i < READERS; i++) {
        db.readers.add(backend.openReader());
      }
    } catch (SQLException e) {
      db.close();
      throw new StartupException("cannot open " + backend.description() + " for reading: " + e.getMessage(), e);
    }
    return db;
  }

  /** Where the data lives (SQLite file or PostgreSQL server and database), for logs; never a password. */
  public String description() {
    return backend.description();
  }

  public Backend backend() {
    return backend;
  }

  /** Fits write-ahead logging to the size cap, before the writer starts. */
  public void sizeWalFor(long maxDbBytes) throws SQLException {
    backend.sizeWalFor(writeConnection, maxDbBytes);
  }

  /** Whether commits currently reach the disk. */
  public StorageHealth health() {
    return health;
  }

  /** Bytes on disk (SQLite: the file and its write-ahead log; PostgreSQL: Lookout's tables with their indexes). */
  public long diskBytes() {
    try {
      return backend.diskBytes(this);
    } catch (SQLException e) {
      return 0;
    }
  }

  /** Bytes in the write-ahead log alone: committed pages not yet copied back into the file (0 on PostgreSQL). */
  public long walBytes() {
    return backend.walBytes();
  }

  /** Bytes the stored rows take: what {@code --max-db-size} is enforced on. */
  public long usedBytes() throws SQLException {
    return backend.usedBytes(this);
  }

  /** After retention deleted rows, makes their space reusable; runs on the retention thread. */
  public void reclaim(WriteTask.Runner writer, boolean deletedAny, long maxBytes) throws Exception {
    backend.reclaim(this, writer, deletedAny, maxBytes);
  }

  /**
   * The writer's connection; only {@link StoreWriter}'s thread may use it. After commits failed,
   * a connection the server dropped (a restart, a failover, an ended session) is replaced, where
   * the backend allows it; until then commits fail, ingest answers 503 and agents retry.
   */
  public Connection writeConnection() {
    Connection c = writeConnection;
    if (!backend.reconnects() || health.trouble() == null && !isClosed(c) || System.nanoTime() - nextReconnect < 0) {
      return c;
    }
    nextReconnect = System.nanoTime() + RECONNECT_PAUSE_NANOS;
    if (!isBroken(c)) {
      return c;
    }
    try {
      writeConnection = backend.openWriter();
      closeQuietly(c);
      LOG.info("reconnected the writer to {}", backend.description());
    } catch (SQLException | RuntimeException stillAway) {
      // the next commit fails as the last did, and the next attempt is a second away
    }
    return writeConnection;
  }

  private static boolean isClosed(Connection c) {
    try {
      return c.isClosed();
    } catch (SQLException e) {
      return true;
    }
  }

  private static boolean isBroken(Connection c) {
    try {
      return c.isClosed() || !c.isValid(2);
    } catch (SQLException e) {
      return true;
    }
  }

  /** Work with a pooled read connection. */
  public <T> T read(SqlFunction<T> work) throws SQLException {
    Connection c;
    try {
      c = readers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a read connection", e);
    }
    try {
      return work.apply(c);
    } catch (SQLException e) {
      if (!backend.reconnects() || !isBroken(c)) {
        throw e;
      }
      Connection fresh = replaceReader(c);
      if (fresh == c) {
        throw e;
      }
      c = fresh;
      return work.apply(c); // once more on a live connection: reads are repeatable
    } finally {
      readers.add(c);
    }
  }

  /** A new read connection for one the server dropped; the old one back when the server is still away. */
  private Connection replaceReader(Connection broken) {
    try {
      Connection fresh = backend.openReader();
      closeQuietly(broken);
      return fresh;
    } catch (SQLException | RuntimeException stillAway) {
      return broken;
    }
  }

  @FunctionalInterface
  public interface SqlFunction<T> {
    T apply(Connection c) throws SQLException;
  }

  @Override
  public void close() {
    for (Connection c : List.copyOf(readers)) {
      closeQuietly(c);
    }
    backend.closing(writeConnection);
    closeQuietly(writeConnection);
  }

  static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to do
    }
  }
}
