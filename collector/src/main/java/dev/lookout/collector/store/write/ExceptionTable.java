package dev.lookout.collector.store.write;

import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.RecordKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Inserting exception occurrences */
public final class ExceptionTable implements Table<ExceptionRecord> {

  @Override
  public RecordKind kind() {
    return RecordKind.EXCEPTION;
  }

  @Override
  public String insertSql() {
    return "INSERT INTO exceptions (time, service, fingerprint, type, message, stacktrace, trace_id, span_id, source,"
        + " id) VALUES (?,?,?,?,?,?,?,?,?,?)";
  }

  @Override
  public void bind(PreparedStatement s, int at, ExceptionRecord r) throws SQLException {
    s.setLong(at + 1, r.time());
    s.setString(at + 2, r.service());
    s.setString(at + 3, r.fingerprint());
    s.setString(at + 4, r.type());
    StoreWriter.setNullable(s, at + 5, r.message());
    StoreWriter.setNullable(s, at + 6, r.stacktrace());
    StoreWriter.setNullable(s, at + 7, r.traceId());
    StoreWriter.setNullable(s, at + 8, r.spanId());
    s.setString(at + 9, r.source());
  }

  @Override
  public ExceptionRecord withId(ExceptionRecord r, long id) {
    return new ExceptionRecord(id, r.time(), r.service(), r.fingerprint(), r.type(), r.message(), r.stacktrace(),
        r.traceId(), r.spanId(), r.source());
  }
}
