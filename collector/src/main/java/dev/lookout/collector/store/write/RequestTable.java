package dev.lookout.collector.store.write;

import dev.lookout.collector.store.RequestDetails;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.RecordKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Inserting {@link RequestRecord}s, and their minutes into the request rollups in the same transaction. */
public final class RequestTable implements Table<RequestRecord> {

  @Override
  public RecordKind kind() {
    return RecordKind.REQUEST;
  }

  /**
   * What queries filter and sort on in columns of its own; the rest packed into {@code details}
   * ({@link RequestDetails}): 12 parameters a row instead of 28. The columns the packed fields had
   * before are left at their defaults.
   */
  @Override
  public String insertSql() {
    return "INSERT INTO requests (trace_id, span_id, service, method, path, route, query, status, duration_ms,"
        + " start_time, details, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
  }

  @Override
  public void bind(PreparedStatement s, int at, RequestRecord r) throws SQLException {
    s.setString(at + 1, r.traceId());
    s.setString(at + 2, r.spanId());
    s.setString(at + 3, r.service());
    s.setString(at + 4, r.method());
    s.setString(at + 5, r.path());
    StoreWriter.setNullable(s, at + 6, r.route());
    StoreWriter.setNullable(s, at + 7, r.query());
    s.setInt(at + 8, r.status());
    s.setDouble(at + 9, r.durationMs());
    s.setLong(at + 10, r.startTime());
    s.setBytes(at + 11, RequestDetails.pack(r));
  }

  /** A batch's requests summed into their minutes on the receiving thread; the writer only merges the sums. */
  @Override
  public Object prepare(List<RequestRecord> rows) {
    return RequestRollups.Cells.of(rows);
  }

  @Override
  public void afterInsert(java.sql.Connection c, List<RequestRecord> rows, List<Object> prepared) throws SQLException {
    RequestRollups.add(c, rows, prepared);
  }

  @Override
  public RequestRecord withId(RequestRecord row, long id) {
    return row.withId(id);
  }
}
