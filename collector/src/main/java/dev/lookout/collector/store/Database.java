package dev.lookout.collector.store;

import dev.lookout.collector.CollectorMain.StartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file: one connection for the single writer, a small pool of read-only connections
 * for queries (WAL lets them read while the writer commits), and the versioned schema.
 */
public final class Database implements AutoCloseable {

  public static final String FILE_NAME = "lookout.db";
  private static final int READERS = 4;

  private final Path file;
  private final Connection writeConnection;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

  private Database(Path file, Connection writeConnection) {
    this.file = file;
    this.writeConnection = writeConnection;
  }

  public static Database open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create data directory " + dataDir.toAbsolutePath() + ": " + e, e);
    }
    try {
      Connection writer = connect(file, false);
      if (Migrations.userVersion(writer) == 0) {
        // Only possible before the first table: lets retention hand freed pages back to the file system.
        try (Statement s = writer.createStatement()) {
          s.execute("PRAGMA auto_vacuum = INCREMENTAL");
        }
      }
      Migrations.apply(writer);
      Database db = new Database(file, writer);
      for (int i = 0; i < READERS; i++) {
        db.readers.add(connect(file, true));
      }
      return db;
    } catch (SQLException e) {
      throw new StartupException("cannot open " + file.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL in WAL mode: a commit survives a crash of this process (kill -9), which is the promise.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setReadOnly(readOnly);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    if (readOnly) {
      Function.create(c, "REGEXP", new RegexpFunction());
    } else {
      c.setAutoCommit(false);
    }
    return c;
  }

  public Path file() {
    return file;
  }

  /** Bytes on disk: the database file and its write-ahead log. */
  public long diskBytes() {
    return size(file) + size(file.resolveSibling(file.getFileName() + "-wal"));
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The writer's connection; only {@link StoreWriter}'s thread may use it. */
  Connection writeConnection() {
    return writeConnection;
  }

  /** Work with a pooled read-only connection. */
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
    } finally {
      readers.add(c);
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
    try (Statement s = writeConnection.createStatement()) {
      writeConnection.commit();
      s.execute("PRAGMA optimize");
    } catch (SQLException ignored) {
      // closing anyway
    }
    closeQuietly(writeConnection);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing left to do
    }
  }

  /** {@code x REGEXP pattern}, for {@code path=regex:…} filters. Patterns are compiled once per statement. */
  private static final class RegexpFunction extends Function {
    private String lastSource;
    private Pattern lastPattern;

    @Override
    protected void xFunc() throws SQLException {
      String source = value_text(0);
      String subject = value_text(1);
      if (source == null || subject == null) {
        result(0);
        return;
      }
      if (!source.equals(lastSource)) {
        try {
          lastPattern = Pattern.compile(source);
        } catch (PatternSyntaxException e) {
          throw new SQLException("bad regex: " + e.getDescription());
        }
        lastSource = source;
      }
      result(lastPattern.matcher(subject).find() ? 1 : 0);
    }
  }
}
