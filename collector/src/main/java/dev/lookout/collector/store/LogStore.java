package dev.lookout.collector.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads log records back: filtered pages, full-text search, and the records of one request. */
public final class LogStore {

  private static final String COLUMNS = "id, time, service, level, logger, thread, message, exception, trace_id, span_id";

  private final Database database;

  public LogStore(Database database) {
    this.database = database;
  }

  public record Page(List<LogRecordRow> items, RequestQuery.Cursor next) {}

  public Page find(LogQuery q) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM logs WHERE 1=1");
    if (q.text() != null && !q.ftsQuery().isEmpty()) {
      sql.where(" AND id IN (SELECT rowid FROM logs_fts WHERE logs_fts MATCH ?)", q.ftsQuery());
    }
    sql.where(" AND service = ?", q.service());
    sql.where(" AND level >= ?", q.minLevel());
    sql.where(" AND trace_id = ?", q.traceId());
    sql.where(" AND time >= ?", q.from());
    sql.where(" AND time < ?", q.to());
    if (q.cursor() != null) {
      sql.where(" AND (time < ? OR (time = ? AND id < ?))", q.cursor().startTime(), q.cursor().startTime(),
          q.cursor().id());
    }
    sql.append(" ORDER BY time DESC, id DESC LIMIT ?", q.limit() + 1);
    List<LogRecordRow> rows = database.read(c -> sql.query(c, LogStore::read));
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<LogRecordRow> page = List.copyOf(rows.subList(0, q.limit()));
    LogRecordRow last = page.get(page.size() - 1);
    return new Page(page, new RequestQuery.Cursor(last.time(), last.id()));
  }

  /** The records of one trace, looked for in the time window of its request (the time index serves it). */
  public List<LogRecordRow> ofTrace(String traceId, long from, long to) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM logs WHERE time >= ? AND time <= ? AND trace_id = ?"
        + " ORDER BY time, id LIMIT 1000", from, to, traceId);
    return database.read(c -> sql.query(c, LogStore::read));
  }

  static LogRecordRow read(ResultSet rs) throws SQLException {
    return new LogRecordRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
  }
}
