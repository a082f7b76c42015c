package dev.lookout.collector.store.query;

import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.FullTextTarget;
import dev.lookout.collector.store.backend.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads log records back: filtered pages, full-text search, and the records of one request. */
public final class LogStore {

  private static final String COLUMNS = "id, time, service, level, logger, thread, message, exception, trace_id, span_id";

  private static final FullTextTarget TEXT = new FullTextTarget("logs", "time", "logs_fts", COLUMNS);

  private final Database database;

  public LogStore(Database database) {
    this.database = database;
  }

  public record Page(List<LogEntryRecord> items, RequestQuery.Cursor next) {}

  public Page find(LogQuery q) throws SQLException {
    Sql filters = new Sql("");
    filters.where(" AND service = ?", q.service());
    filters.where(" AND level >= ?", q.minLevel());
    filters.where(" AND trace_id = ?", q.traceId());
    filters.where(" AND time >= ?", q.from());
    filters.where(" AND time < ?", q.to());
    if (q.cursor() != null) {
      // the first clause alone bounds the time index's range; the second is the exact position
      filters.append(" AND time <= ? AND (time < ? OR (time = ? AND id < ?))", q.cursor().startTime(),
          q.cursor().startTime(), q.cursor().startTime(), q.cursor().id());
    }
    List<LogEntryRecord> rows;
    if (q.text() != null && !q.words().isEmpty()) {
      rows = NewestMatches.find(database, TEXT, q.words(), filters, q.cursor() == null ? null : q.cursor().id(),
          q.limit(), LogStore::read, LogEntryRecord::time);
    } else {
      Sql sql = new Sql("SELECT " + COLUMNS + " FROM logs WHERE 1=1").append(filters)
          .append(" ORDER BY time DESC, id DESC LIMIT ?", q.limit() + 1);
      rows = database.read(c -> sql.query(c, LogStore::read));
    }
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<LogEntryRecord> page = List.copyOf(rows.subList(0, q.limit()));
    LogEntryRecord last = page.get(page.size() - 1);
    return new Page(page, new RequestQuery.Cursor(last.time(), last.id()));
  }

  /** The records of one trace, looked for in the time window of its request (the time index serves it). */
  public List<LogEntryRecord> ofTrace(String traceId, long from, long to) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM logs WHERE time >= ? AND time <= ? AND trace_id = ?"
        + " ORDER BY time, id LIMIT 1000", from, to, traceId);
    return database.read(c -> sql.query(c, LogStore::read));
  }

  static LogEntryRecord read(ResultSet rs) throws SQLException {
    return new LogEntryRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
  }
}
