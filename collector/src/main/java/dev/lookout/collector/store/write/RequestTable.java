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
  public void bind(PreparedStatement s, RequestRecord r) throws SQLException {
    s.setString(1, r.traceId());
    s.setString(2, r.spanId());
    s.setString(3, r.service());
    s.setString(4, r.method());
    s.setString(5, r.path());
    StoreWriter.setNullable(s, 6, r.route());
    StoreWriter.setNullable(s, 7, r.query());
    s.setInt(8, r.status());
    s.setDouble(9, r.durationMs());
    s.setLong(10, r.startTime());
    StoreWriter.setNullable(s, 11, r.clientAddress());
    s.setInt(12, r.exceptionCount());
    s.setInt(13, r.logCount());
    StoreWriter.setNullable(s, 14, r.attributesJson());
    RequestColumns c = r.columns();
    s.setInt(15, c.lifted());
    StoreWriter.setNullable(s, 16, c.scheme());
    StoreWriter.setNullable(s, 17, c.serverAddress());
    s.setLong(18, c.serverPort());
    StoreWriter.setNullable(s, 19, c.userAgent());
    StoreWriter.setNullable(s, 20, c.errorType());
    s.setLong(21, c.socketIn());
    s.setLong(22, c.socketOut());
    s.setLong(23, c.socketCalls());
    s.setLong(24, c.socketNanos());
    s.setLong(25, c.zeroCopyBytes());
    s.setLong(26, c.copiedBytes());
    StoreWriter.setNullable(s, 27, c.ioVerdict());
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
