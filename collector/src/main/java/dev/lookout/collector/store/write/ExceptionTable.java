package dev.lookout.collector.store.write;

import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.live.LiveHub;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Inserting exception occurrences; committed rows go to the live stream. */
public final class ExceptionTable implements Table<ExceptionRecord> {

  private final LiveHub live;

  public ExceptionTable(LiveHub live) {
    this.live = live;
  }

  @Override
  public String table() {
    return "exceptions";
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

  @Override
  public void committed(List<ExceptionRecord> rows) {
    live.publish(LiveHub.Kind.EXCEPTION, rows);
  }
}
