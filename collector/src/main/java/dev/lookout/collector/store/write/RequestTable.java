package dev.lookout.collector.store.write;

import dev.lookout.collector.store.RequestColumns;
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

  @Override
  public String insertSql() {
    return "INSERT INTO requests (trace_id, span_id, service, method, path, route, query, status, duration_ms,"
        + " start_time, client_address, exception_count, log_count, attributes, lifted, scheme, server_address,"
        + " server_port, user_agent, error_type, socket_in, socket_out, socket_calls, socket_nanos, zero_copy_bytes,"
        + " copied_bytes, io_verdict, id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
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
    StoreWriter.setNullable(s, at + 11, r.clientAddress());
    s.setInt(at + 12, r.exceptionCount());
    s.setInt(at + 13, r.logCount());
    StoreWriter.setNullable(s, at + 14, r.attributesJson());
    RequestColumns c = r.columns();
    s.setInt(at + 15, c.lifted());
    StoreWriter.setNullable(s, at + 16, c.scheme());
    StoreWriter.setNullable(s, at + 17, c.serverAddress());
    s.setLong(at + 18, c.serverPort());
    StoreWriter.setNullable(s, at + 19, c.userAgent());
    StoreWriter.setNullable(s, at + 20, c.errorType());
    s.setLong(at + 21, c.socketIn());
    s.setLong(at + 22, c.socketOut());
    s.setLong(at + 23, c.socketCalls());
    s.setLong(at + 24, c.socketNanos());
    s.setLong(at + 25, c.zeroCopyBytes());
    s.setLong(at + 26, c.copiedBytes());
    StoreWriter.setNullable(s, at + 27, c.ioVerdict());
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
