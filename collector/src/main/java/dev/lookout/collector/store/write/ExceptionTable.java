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
  public void bind(PreparedStatement s, ExceptionRecord r) throws SQLException {
    s.setLong(1, r.time());
    s.setString(2, r.service());
    s.setString(3, r.fingerprint());
    s.setString(4, r.type());
    StoreWriter.setNullable(s, 5, r.message());
    StoreWriter.setNullable(s, 6, r.stacktrace());
    StoreWriter.setNullable(s, 7, r.traceId());
    StoreWriter.setNullable(s, 8, r.spanId());
    s.setString(9, r.source());
  }

  @Override
  public ExceptionRecord withId(ExceptionRecord r, long id) {
    return new ExceptionRecord(id, r.time(), r.service(), r.fingerprint(), r.type(), r.message(), r.stacktrace(),
        r.traceId(), r.spanId(), r.source());
  }
}
