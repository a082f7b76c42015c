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
  /** Present while a collector runs on the directory; found at start, it means the last stop was a crash. */
  static final String RUNNING_MARKER = "lookout.running";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);
  private static final int READERS = 4;

  private final Path file;
  private final Connection writeConnection;
  private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
  private final StorageHealth health;

  private Database(Path file, Connection writeConnection) {
    this.file = file;
    this.writeConnection = writeConnection;
    this.health = new StorageHealth(file);
  }

  /**
   * Sizes the write-ahead log to the size cap, before the writer starts: a larger log before
   * auto-checkpoint writes a page that many commits touched once instead of once per few commits
   * (up to 4,000 pages), but the file and its log together must stay under {@code --max-db-size}, so
   * the log checkpoints after a sixteenth of the cap and is cut back to that size afterwards.
   */
  public void sizeWalFor(long maxDbBytes) throws SQLException {
    try (Statement s = writeConnection.createStatement()) {
      long pageSize;
      try (java.sql.ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        pageSize = rs.next() ? rs.getLong(1) : 4096;
      }
      long pages = Math.max(100, Math.min(4000, maxDbBytes / 16 / pageSize));
      s.execute("PRAGMA wal_autocheckpoint = " + pages);
      s.execute("PRAGMA journal_size_limit = " + pages * pageSize);
    }
  }

  public static Database open(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create data directory " + dataDir.toAbsolutePath() + ": " + e, e);
    }
    Path running = dataDir.resolve(RUNNING_MARKER);
    boolean uncleanStop = Files.exists(running);
    try {
      return openChecked(file, uncleanStop);
    } catch (SQLException e) {
      if (!isDamage(e)) {
        StorageHealth.Problem disk = StorageHealth.classify(e);
        throw new StartupException("cannot open " + file.toAbsolutePath() + ": "
            + (disk == null ? "" : disk.explanation + ": ") + e.getMessage(), e);
      }
      Path aside = moveAside(file);
      LOG.error("{} is damaged ({}); it was moved to {} and a new, empty database is used."
          + " Nothing else is lost: the damaged file is kept for inspection.", file, e.getMessage(), aside);
      try {
        return openChecked(file, false);
      } catch (SQLException again) {
        throw new StartupException("cannot create a new database at " + file.toAbsolutePath() + ": "
            + again.getMessage(), again);
      }
    } finally {
      try {
        Files.writeString(running, "running since " + java.time.Instant.now() + "\n");
      } catch (IOException ignored) {
        // only decides whether the next start checks the file
      }
    }
  }

  /**
   * Opens the file and migrates it. After an unclean stop (the running marker was left behind) the
   * file is checked first; a damaged file raises SQLITE_CORRUPT / SQLITE_NOTADB.
   */
  private static Database openChecked(Path file, boolean check) throws SQLException {
    Connection writer = connect(file, false);
    try {
      if (check) {
        try (Statement s = writer.createStatement(); java.sql.ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
          String verdict = rs.next() ? rs.getString(1) : "no answer";
          if (!"ok".equals(verdict)) {
            throw new SQLException("quick_check: " + verdict, "corrupt", 11);
          }
        }
        writer.commit();
      }
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
    } catch (SQLException | RuntimeException e) {
      closeQuietly(writer);
      throw e;
    }
  }

  /** SQLITE_CORRUPT (11) or SQLITE_NOTADB (26), possibly as extended codes. */
  static boolean isDamage(SQLException e) {
    int code = e.getErrorCode() & 0xff;
    String m = String.valueOf(e.getMessage());
    return code == 11 || code == 26 || m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB")
        || m.contains("quick_check");
  }

  private static Path moveAside(Path file) {
    String suffix = ".damaged-" + java.time.LocalDateTime.now().toString().replace(':', '-');
    Path aside = file.resolveSibling(file.getFileName() + suffix);
    for (String extra : new String[] {"", "-wal", "-shm"}) {
      Path f = file.resolveSibling(file.getFileName() + extra);
      try {
        if (Files.exists(f)) {
          Files.move(f, file.resolveSibling(file.getFileName() + suffix + extra));
        }
      } catch (IOException e) {
        throw new StartupException("the database is damaged and cannot be moved aside: " + e, e);
      }
    }
    return aside;
  }

  private static Connection connect(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    // NORMAL in WAL mode: a commit survives a crash of this process (kill -9), which is the promise.
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    config.setReadOnly(readOnly);
    // The writer hands out ids itself; left on, the driver runs a SELECT last_insert_rowid() after
    // every INSERT, preparing it anew each time, which cost a third of the writer's time per row.
    config.setGetGeneratedKeys(false);
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
    try (Statement s = c.createStatement()) {
      // The writer's page cache holds the hot right-hand edges of every index; the default 2 MiB
      // does not once a table has millions of rows.
      s.execute(readOnly ? "PRAGMA cache_size = -16384" : "PRAGMA cache_size = -65536");
    }
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

  /** Whether commits currently reach the disk. */
  public StorageHealth health() {
    return health;
  }

  /** Bytes on disk: the database file and its write-ahead log. */
  public long diskBytes() {
    return size(file) + size(file.resolveSibling(file.getFileName() + "-wal"));
  }

  /** Bytes in the write-ahead log alone: committed pages not yet copied back into the file. */
  public long walBytes() {
    return size(file.resolveSibling(file.getFileName() + "-wal"));
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
    try {
      Files.deleteIfExists(file.resolveSibling(RUNNING_MARKER));
    } catch (IOException ignored) {
      // the next start merely checks the file
    }
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
