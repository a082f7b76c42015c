package dev.lookout.collector.store.backend;

import dev.lookout.collector.store.RecordKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What differs between the databases Lookout stores in (SQLite in the data directory, or a
 * PostgreSQL server): connecting, the schema, full-text and pattern matching, and how space is
 * measured and handed back. The writer, the stores, retention and the API use this and plain SQL
 * both accept, so they run unchanged on either.
 */
public interface Backend {

  /** Where the data lives, for the startup line and error messages; never a password. */
  String description();

  /** The writer's connection, schema migrated, not in autocommit. */
  Connection openWriter() throws SQLException;

  /** Whether a connection that broke (a server restart, say) can be replaced while running. */
  boolean reconnects();

  /** A connection for queries; it sees every committed row. */
  Connection openReader() throws SQLException;

  /** Called once the readers are closed and before the writer is. */
  void closing(Connection writer);

  /** Bytes the database takes on disk. */
  long diskBytes(Database db) throws SQLException;

  /** Bytes written but not yet in the main file (SQLite's write-ahead log); 0 where there is none. */
  long walBytes();

  /** Bytes the stored rows take, which deleting old rows lowers: what the size cap is held to. */
  long usedBytes(Database db) throws SQLException;

  /** After retention deleted rows: makes their space reusable (or hands it back to the file system). */
  void reclaim(Database db, WriteTask.Runner writer, boolean deletedAny, long maxBytes) throws Exception;

  /** Fits write-ahead logging to the size cap, where the backend has a log of its own to size. */
  void sizeWalFor(Connection writer, long maxBytes) throws SQLException;

  /** {@code " AND path matches the glob"}, case-sensitive, whole path. */
  void pathGlob(Sql sql, String glob);

  /** {@code " AND path contains a match of the regex"}. */
  void pathRegex(Sql sql, Pattern regex);

  /** The operator for a case-insensitive LIKE (SQLite's LIKE is case-insensitive for ASCII already). */
  String caseInsensitiveLike();

  /** {@code INDEXED BY index}, where the planner needs telling. */
  String indexedBy(String index);

  /**
   * {@code SELECT <t.columns> FROM … WHERE <every word matches>} over the target's table aliased
   * {@code t}, restricted to ids above {@code aboveId} when it is not null; filters are appended.
   */
  Sql fullTextMatches(FullTextTarget target, List<String> words, Long aboveId);

  /** The writer's statement for a row type's {@code INSERT} (see {@link RowType#insertSql}), bound and batched as usual. */
  default java.sql.PreparedStatement prepareInsert(Connection writer, String insertSql) throws SQLException {
    return writer.prepareStatement(insertSql);
  }

  /**
   * Rows per INSERT statement for groups of a commit's rows, largest first: the writer repeats the
   * INSERT's {@code VALUES (…)} that many times and binds that many rows in each execution, as many
   * groups of each size as fit, and the rest one row per execution. Empty: one row per execution
   * (where {@link #prepareInsert} does its own batching).
   */
  default int[] rowsPerInsert() {
    return new int[0];
  }

  /**
   * Whether the database numbers inserted rows itself, each one past the largest id in its table,
   * so the writer leaves the id out of its INSERTs and reads the last one back once per commit
   * instead of binding one per row. False: the writer binds the ids it hands out.
   */
  default boolean numbersRows() {
    return false;
  }

  /**
   * Runs in the writer's transaction after rows {@code firstId..lastId} went into {@code kind}'s table:
   * where the backend keeps a search index up to date itself, it indexes them here.
   */
  default void afterInsert(Connection writer, RecordKind kind, long firstId, long lastId) throws SQLException {}

  /** The ORDER BY of full-text matches, newest first: time, then id. */
  String fullTextOrder(FullTextTarget target);
}
