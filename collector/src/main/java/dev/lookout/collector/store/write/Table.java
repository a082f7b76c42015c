package dev.lookout.collector.store.write;

import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.StoredRecord;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * How one kind of record is inserted. The writer prepares {@link #insertSql} once and binds each
 * row; after the commit it tells its {@link CommitListener}s the stored rows (with their new ids)
 * under this table's {@link #kind}.
 */
public interface Table<T extends StoredRecord> {

  /** The kind stored here; its table's INTEGER PRIMARY KEY is {@code id}. */
  RecordKind kind();

  /**
   * The INSERT, whose last column and parameter is the row's id ({@code …, id) VALUES (…,?)}): the
   * writer hands out ids itself, being the only one that inserts, which spares a generated-keys
   * query per row; where the database numbers rows in order itself (SQLite's rowid), the writer
   * leaves the id out and reads the last one back once per commit.
   */
  String insertSql();

  /**
   * Binds every parameter but the last (the id), the row's first parameter at index {@code at + 1}:
   * a statement may insert several rows, each {@code at} further on.
   */
  void bind(PreparedStatement statement, int at, T row) throws SQLException;

  /**
   * Work on one batch's rows that needs no connection, done on the thread that submits the batch
   * (many run at once) instead of the writer's; the result is handed to {@link #afterInsert}. Null:
   * nothing to do.
   */
  default Object prepare(List<T> rows) {
    return null;
  }

  /**
   * Runs inside the transaction after all of a commit's rows of this type went in (rollups, say);
   * {@code prepared} holds what {@link #prepare} made of each of the commit's batches (nulls left out).
   */
  default void afterInsert(java.sql.Connection c, List<T> rows, List<Object> prepared) throws SQLException {}

  /** The row as stored, now that it has its id. */
  T withId(T row, long id);
}
