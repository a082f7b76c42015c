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
}
