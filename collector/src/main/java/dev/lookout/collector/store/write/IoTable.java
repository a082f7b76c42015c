package dev.lookout.collector.store.write;

import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.RecordKind;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Inserting {@link IoRecord}s. */
public final class IoTable implements Table<IoRecord> {

  @Override
  public RecordKind kind() {
    return RecordKind.IO;
  }

  @Override
  public String insertSql() {
    return "INSERT INTO io (time, service, path, call_site, kind, calls, bytes, zero_copy_bytes, copied_bytes,"
        + " mechanism, verdict, reason, nanos, source, target, trace_id, span_id, units, id)"
        + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  }

  @Override
  public void bind(PreparedStatement s, IoRecord r) throws SQLException {
    s.setLong(1, r.time());
    s.setString(2, r.service());
    s.setString(3, r.path());
    s.setString(4, r.callSite());
    s.setString(5, r.kind());
    s.setLong(6, r.calls());
    s.setLong(7, r.bytes());
    s.setLong(8, r.zeroCopyBytes());
    s.setLong(9, r.copiedBytes());
    s.setString(10, r.mechanism());
    s.setString(11, r.verdict());
    StoreWriter.setNullable(s, 12, r.reason());
    s.setLong(13, r.nanos());
    StoreWriter.setNullable(s, 14, r.source());
    StoreWriter.setNullable(s, 15, r.target());
    StoreWriter.setNullable(s, 16, r.traceId());
    if (r.spanId() == null) {
      s.setNull(17, Types.VARCHAR);
    } else {
      s.setString(17, r.spanId());
    }
    s.setLong(18, r.units());
  }

  @Override
  public IoRecord withId(IoRecord row, long id) {
    return row.withId(id);
  }
}
