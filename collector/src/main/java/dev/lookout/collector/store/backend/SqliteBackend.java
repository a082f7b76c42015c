package dev.lookout.collector.store.backend;

import dev.lookout.collector.startup.StartupException;
import dev.lookout.collector.store.RecordKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file in the data directory (the default): WAL so that readers read while the writer
 * commits, crash-damage detection at start, FTS5 for log search, and incremental vacuum so that
 * retention hands pages back to the file system.
 */
final class SqliteBackend implements Backend {

  /** Present while a collector runs on the directory; found at start, it means the last stop was a crash. */
  static final String RUNNING_MARKER = "lookout.running";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteBackend.class);

  private final Path file;

  SqliteBackend(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  @Override
  public String description() {
    return "SQLite " + file.toAbsolutePath();
  }

  @Override
  public Connection openWriter() {
    Path dataDir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartupException("cannot create data directory " + dataDir + ": " + e, e);
    }
    Path running = dataDir.resolve(RUNNING_MARKER);
    boolean uncleanStop = Files.exists(running);
    try {
      return openChecked(uncleanStop);
    } catch (SQLException e) {
      if (!isDamage(e)) {
        StorageHealth.Problem disk = StorageHealth.classify(e);
        throw new StartupException("cannot open " + file.toAbsolutePath() + ": "
            + (disk == null ? "" : disk.explanation + ": ") + e.getMessage(), e);
      }
      Path aside = moveAside();
      LOG.error("{} is damaged ({}); it was moved to {} and a new, empty database is used."
          + " Nothing else is lost: the damaged file is kept for inspection.", file, e.getMessage(), aside);
      try {
        return openChecked(false);
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
  private Connection openChecked(boolean check) throws SQLException {
    Connection writer = connect(false);
    try {
      if (check) {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
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
      return writer;
    } catch (SQLException | RuntimeException e) {
      Database.closeQuietly(writer);
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

  private Path moveAside() {
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

  /** A file does not go away under an open connection. */
  @Override
  public boolean reconnects() {
    return false;
  }

  @Override
  public Connection openReader() throws SQLException {
    return connect(true);
  }

  private Connection connect(boolean readOnly) throws SQLException {
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

  /**
   * Rows per INSERT execution: sqlite-jdbc binds each parameter with a JNI call either way, but
   * per execution it also resets, steps and crosses into native code, and SQLite starts its
   * statement anew; a group of rows shares that. Measured 1M->3M spans, collector CPU per span:
   * one row 15.0 / 13.1 µs, groups of 32 12.0 / 12.9 µs, of 128 12.2 / 11.1 µs; 16 catches most
   * of what a small commit leaves below 128.
   */
  @Override
  public int[] rowsPerInsert() {
    return ROWS_PER_INSERT.clone();
  }

  private static final int[] ROWS_PER_INSERT = {128, 16};

  /**
   * Every table's id is an INTEGER PRIMARY KEY without AUTOINCREMENT (the rowid): a row inserted
   * without one gets the largest id plus one, so a commit's rows, inserted in order by the only
   * writer, get consecutive ids. One bound parameter less per row: 0.2 µs of the writer's 4.8 µs
   * per request row in a microbenchmark.
   */
  @Override
  public boolean numbersRows() {
    return true;
  }

  @Override
  public void closing(Connection writer) {
    try (Statement s = writer.createStatement()) {
      writer.commit();
      s.execute("PRAGMA optimize");
    } catch (SQLException ignored) {
      // closing anyway
    }
    try {
      Files.deleteIfExists(file.resolveSibling(RUNNING_MARKER));
    } catch (IOException ignored) {
      // the next start merely checks the file
    }
  }

  /** The database file and its write-ahead log. */
  @Override
  public long diskBytes(Database db) {
    return size(file) + walBytes();
  }

  @Override
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

  /** Pages in use: the file's pages less those on the free list. */
  @Override
  public long usedBytes(Database db) throws SQLException {
    return db.read(c -> {
      long pageSize = pragma(c, "page_size");
      return (pragma(c, "page_count") - pragma(c, "freelist_count")) * pageSize;
    });
  }

  /** Freed pages go back to the file system, and the log is checkpointed and cut back. */
  @Override
  public void reclaim(Database db, WriteTask.Runner writer, boolean deletedAny, long maxBytes) throws Exception {
    if (!deletedAny && diskBytes(db) <= maxBytes) {
      return;
    }
    writer.execute(c -> {
      exec(c, "PRAGMA incremental_vacuum");
      // A checkpoint cannot run inside a transaction; the writer's connection is otherwise never in autocommit.
      c.commit();
      c.setAutoCommit(true);
      try {
        exec(c, "PRAGMA wal_checkpoint(TRUNCATE)");
      } finally {
        c.setAutoCommit(false);
      }
    }).get();
  }

  /**
   * Sizes the write-ahead log to the size cap, before the writer starts: a larger log before
   * auto-checkpoint writes a page that many commits touched once instead of once per few commits
   * (up to 4,000 pages), but the file and its log together must stay under {@code --max-db-size}, so
   * the log checkpoints after a sixteenth of the cap and is cut back to that size afterwards.
   */
  @Override
  public void sizeWalFor(Connection writer, long maxDbBytes) throws SQLException {
    try (Statement s = writer.createStatement()) {
      long pageSize;
      try (ResultSet rs = s.executeQuery("PRAGMA page_size")) {
        pageSize = rs.next() ? rs.getLong(1) : 4096;
      }
      long pages = Math.max(100, Math.min(4000, maxDbBytes / 16 / pageSize));
      s.execute("PRAGMA wal_autocheckpoint = " + pages);
      s.execute("PRAGMA journal_size_limit = " + pages * pageSize);
    }
  }

  @Override
  public void pathGlob(Sql sql, String glob) {
    sql.where(" AND path GLOB ?", glob);
  }

  @Override
  public void pathRegex(Sql sql, Pattern regex) {
    sql.where(" AND path REGEXP ?", regex == null ? null : regex.pattern());
  }

  @Override
  public String caseInsensitiveLike() {
    return "LIKE";
  }

  @Override
  public String indexedBy(String index) {
    return " INDEXED BY " + index;
  }

  /**
   * FTS5, each word a quoted phrase. CROSS JOIN keeps the index's matches the outer loop: the
   * planner would otherwise walk a service's rows in time order and probe each, which a rare word
   * makes a table scan; and the id window is put on the FTS table's rowid, where FTS5 uses it.
   */
  @Override
  public Sql fullTextMatches(FullTextTarget t, List<String> words, Long aboveId) {
    StringBuilder match = new StringBuilder();
    for (String word : words) {
      match.append(match.length() > 0 ? " " : "").append('"').append(word.replace("\"", "\"\"")).append('"');
    }
    Sql sql = new Sql("SELECT " + t.qualifiedColumns() + " FROM " + t.ftsTable() + " CROSS JOIN "
        + t.table() + " AS t ON t.id = " + t.ftsTable() + ".rowid WHERE " + t.ftsTable() + " MATCH ?",
        match.toString());
    if (aboveId != null) {
      sql.append(" AND " + t.ftsTable() + ".rowid > ?", aboveId);
    }
    return sql;
  }

  /**
   * A commit's log records go into the FTS5 index in one INSERT … SELECT: indexed row by row (a
   * trigger), they cost twice as much, measured at ~28k against ~57k records/s.
   */
  @Override
  public void afterInsert(Connection writer, RecordKind kind, long firstId, long lastId) throws SQLException {
    if (kind == RecordKind.LOG) {
      try (PreparedStatement s = writer.prepareStatement("INSERT INTO logs_fts(rowid, message, exception)"
          + " SELECT id, message, exception FROM logs WHERE id BETWEEN ? AND ?")) {
        s.setLong(1, firstId);
        s.setLong(2, lastId);
        s.executeUpdate();
      }
    }
  }

  @Override
  public String fullTextOrder(FullTextTarget t) {
    return " ORDER BY t." + t.timeColumn() + " DESC, t.id DESC";
  }

  private static long pragma(Connection c, String name) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
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
