package dev.lookout.collector.store.backend;

import dev.lookout.collector.startup.StartupException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server ({@code --db postgresql://…}): one database for a team's collector. The
 * schema is {@link PostgresMigrations}; log search is a generated {@code tsvector} with a GIN
 * index; globs and regexes match with {@code ~}; the size cap is held against the rows' share of
 * Lookout's tables, and deleted rows' space is made reusable with plain VACUUM (never FULL, which
 * would lock ingest out).
 */
final class PostgresBackend implements Backend {

  /** The tables retention deletes from, oldest ids first. */
  private static final List<String> ROW_TABLES = List.of("requests", "logs", "exceptions", "io");
  /** Every table of Lookout's, for its size on disk. */
  private static final List<String> ALL_TABLES = List.of("requests", "logs", "exceptions", "io", "request_rollups",
      "counters", "schema_version");
  /** Ids are handed out by the writer (max(id) + 1), so two collectors on one database would collide. */
  private static final long WRITER_LOCK = 0x4c6f6f6b6f7574L; // "Lookout"
  /** What splits words, as FTS5 splits them; the search column of {@link PostgresMigrations} splits the same. */
  static final String NOT_A_WORD = "[^[:alnum:]]+";
  private static final String WORDS = "regexp_replace(?, '" + NOT_A_WORD + "', ' ', 'g')";

  private final PostgresUrl url;
  /** Per table, the fewest bytes per row seen: its size when its pages were full (retention thread only). */
  private final Map<String, Double> densest = new HashMap<>();
  /** An autocommit connection for VACUUM, which cannot run in a transaction (retention thread only). */
  private Connection maintenance;

  PostgresBackend(PostgresUrl url) {
    this.url = url;
  }

  @Override
  public String description() {
    return url.description();
  }

  private Connection connect() throws SQLException {
    try {
      return DriverManager.getConnection(url.jdbcUrl(), url.properties());
    } catch (SQLException e) {
      throw new StartupException("cannot connect to " + description() + ": " + firstLine(e.getMessage()), e);
    }
  }

  @Override
  public Connection openWriter() throws SQLException {
    Connection c = connect();
    try {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + WRITER_LOCK + ")")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          throw new StartupException("another Lookout collector is writing to " + description()
              + "; one collector per database (give this one its own database)", null);
        }
      }
      c.commit();
      PostgresMigrations.apply(c);
      return c;
    } catch (SQLException | RuntimeException e) {
      Database.closeQuietly(c);
      throw e;
    }
  }

  /**
   * Rows go in with COPY ({@link PostgresCopy}): in the collector bench (1M agent-shaped spans, 8
   * senders, 2 shared cores) 36.5k spans/s at 18.5 µs of collector CPU each, against 11.2k/s at
   * 32.7 µs with the multi-row INSERTs pgjdbc rewrites batches into.
   */
  @Override
  public PreparedStatement prepareInsert(Connection writer, String insertSql) {
    return PostgresCopy.prepare(writer, insertSql);
  }

  /** The server may restart, fail over or end sessions: a broken connection is replaced. */
  @Override
  public boolean reconnects() {
    return true;
  }

  @Override
  public Connection openReader() throws SQLException {
    Connection c = connect();
    c.setReadOnly(true);
    return c;
  }

  @Override
  public void closing(Connection writer) {
    try {
      writer.commit();
    } catch (SQLException ignored) {
      // closing anyway; the advisory lock goes with the connection
    }
    if (maintenance != null) {
      Database.closeQuietly(maintenance);
    }
  }

  /** Lookout's tables with their indexes, TOAST and free space. */
  @Override
  public long diskBytes(Database db) throws SQLException {
    return db.read(c -> {
      long total = 0;
      for (String table : ALL_TABLES) {
        total += tableBytes(c, table);
      }
      return total;
    });
  }

  @Override
  public long walBytes() {
    return 0; // the server's own write-ahead log is not Lookout's to size
  }

  /**
   * Rows times the fewest bytes per row their table has shown, plus the small tables whole. Plain
   * VACUUM leaves freed space inside the table for reuse, so the table's size does not fall
   * when rows are deleted; its rows' share of it does.
   */
  @Override
  public synchronized long usedBytes(Database db) throws SQLException {
    return db.read(c -> {
      long used = 0;
      for (String table : ALL_TABLES) {
        long bytes = tableBytes(c, table);
        if (!ROW_TABLES.contains(table)) {
          used += bytes;
          continue;
        }
        long rows;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(id) - min(id) + 1, 0) FROM " + table)) {
          rows = rs.next() ? rs.getLong(1) : 0;
        }
        if (rows > 0) {
          double perRow = densest.merge(table, (double) bytes / rows, Math::min);
          used += (long) (rows * perRow);
        }
      }
      return used;
    });
  }

  private static long tableBytes(Connection c, String table) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT coalesce(pg_total_relation_size(to_regclass(?)), 0)")) {
      s.setString(1, table);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** Plain VACUUM of the tables rows left: their space is reused by the next rows, and ingest goes on meanwhile. */
  @Override
  public synchronized void reclaim(Database db, WriteTask.Runner writer, boolean deletedAny, long maxBytes)
      throws SQLException {
    if (!deletedAny) {
      return;
    }
    try {
      if (maintenance == null || maintenance.isClosed()) {
        maintenance = connect();
        maintenance.setAutoCommit(true);
      }
      try (Statement s = maintenance.createStatement()) {
        s.execute("VACUUM " + String.join(", ", ROW_TABLES) + ", request_rollups");
      }
    } catch (SQLException e) {
      Database.closeQuietly(maintenance);
      maintenance = null;
      throw e;
    }
  }

  @Override
  public void sizeWalFor(Connection writer, long maxBytes) {
    // nothing to size: the server's write-ahead log is its administrator's
  }

  @Override
  public void pathGlob(Sql sql, String glob) {
    sql.where(" AND path ~ ?", glob == null ? null : Globs.toPosixRegex(glob));
  }

  /** PostgreSQL's regexes (ARE) read the common syntax as Java does; find semantics, like SQLite's REGEXP here. */
  @Override
  public void pathRegex(Sql sql, Pattern regex) {
    sql.where(" AND path ~ ?", regex == null ? null : regex.pattern());
  }

  @Override
  public String caseInsensitiveLike() {
    return "ILIKE";
  }

  @Override
  public String indexedBy(String index) {
    return ""; // the planner picks the index by itself
  }

  /**
   * Each word a phrase of its alphanumeric runs (as an FTS5 quoted word), all words required,
   * against the generated {@code search} column; the text of both goes through the same
   * splitting ({@link #NOT_A_WORD}).
   */
  @Override
  public Sql fullTextMatches(FullTextTarget t, List<String> words, Long aboveId) {
    Sql sql = new Sql("SELECT " + t.qualifiedColumns() + " FROM " + t.table() + " AS t WHERE t.search @@ (");
    for (int i = 0; i < words.size(); i++) {
      sql.append((i > 0 ? " && " : "") + "phraseto_tsquery('simple', " + WORDS + ")", words.get(i));
    }
    sql.append(")");
    if (aboveId != null) {
      sql.append(" AND t.id > ?", aboveId);
    }
    return sql;
  }

  /**
   * {@code time + 0}: the time index must not serve the order. The planner cannot know how rare a
   * word is (one not in the statistics gets a fixed guess), and would walk every row in time order
   * to find a rare word's few (200 ms at 300,000 rows) instead of asking the text index (0.5 ms).
   */
  @Override
  public String fullTextOrder(FullTextTarget t) {
    return " ORDER BY t." + t.timeColumn() + " + 0 DESC, t.id DESC";
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
