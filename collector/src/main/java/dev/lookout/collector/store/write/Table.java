package dev.lookout.collector.store.write;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How one kind of row is inserted. The writer prepares {@link #insertSql} once and binds each row;
 * after the commit it hands the stored rows (with their new ids) to {@link #committed}, which
 * publishes them to live subscribers.
 */
public interface Table<T> {

  /** The table; its INTEGER PRIMARY KEY is {@code id}. */
  String table();

  /**
   * The INSERT, whose last parameter is the row's id: the writer hands out ids itself, being the
   * only one that inserts, which spares a generated-keys query per row.
   */
  String insertSql();

  /** Binds every parameter but the last (the id). */
  void bind(PreparedStatement statement, T row) throws SQLException;

  /** Runs inside the transaction after all of a commit's rows of this type went in (rollups, say). */
  default void afterInsert(java.sql.Connection c, List<T> rows) throws SQLException {}

  /** The row as stored, now that it has its id. */
  T withId(T row, long id);

  /** Runs on the writer thread after the commit; must not block. */
  default void committed(List<T> rows) {}
}
