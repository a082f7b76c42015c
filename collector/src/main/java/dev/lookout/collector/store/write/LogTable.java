package dev.lookout.collector.store.write;

import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.RecordKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Inserting log records (the FTS index follows by trigger) */
public final class LogTable implements Table<LogEntryRecord> {

  @Override
  public RecordKind kind() {
    return RecordKind.LOG;
  }

  @Override
  public String insertSql() {
    return "INSERT INTO logs (time, service, level, logger, thread, message, exception, trace_id, span_id, id)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?)";
  }

  @Override
  public void bind(PreparedStatement s, int at, LogEntryRecord r) throws SQLException {
    s.setLong(at + 1, r.time());
    s.setString(at + 2, r.service());
    s.setInt(at + 3, r.level());
    StoreWriter.setNullable(s, at + 4, r.logger());
    StoreWriter.setNullable(s, at + 5, r.thread());
    StoreWriter.setNullable(s, at + 6, r.message());
    StoreWriter.setNullable(s, at + 7, r.exception());
    StoreWriter.setNullable(s, at + 8, r.traceId());
    StoreWriter.setNullable(s, at + 9, r.spanId());
  }

  @Override
  public LogEntryRecord withId(LogEntryRecord r, long id) {
    return new LogEntryRecord(id, r.time(), r.service(), r.level(), r.logger(), r.thread(), r.message(), r.exception(),
        r.traceId(), r.spanId());
  }
}
