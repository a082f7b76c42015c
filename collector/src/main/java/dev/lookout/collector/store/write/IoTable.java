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
  public void bind(PreparedStatement s, int at, IoRecord r) throws SQLException {
    s.setLong(at + 1, r.time());
    s.setString(at + 2, r.service());
    s.setString(at + 3, r.path());
    s.setString(at + 4, r.callSite());
    s.setString(at + 5, r.kind());
    s.setLong(at + 6, r.calls());
    s.setLong(at + 7, r.bytes());
    s.setLong(at + 8, r.zeroCopyBytes());
    s.setLong(at + 9, r.copiedBytes());
    s.setString(at + 10, r.mechanism());
    s.setString(at + 11, r.verdict());
    StoreWriter.setNullable(s, at + 12, r.reason());
    s.setLong(at + 13, r.nanos());
    StoreWriter.setNullable(s, at + 14, r.source());
    StoreWriter.setNullable(s, at + 15, r.target());
    StoreWriter.setNullable(s, at + 16, r.traceId());
    if (r.spanId() == null) {
      s.setNull(at + 17, Types.VARCHAR);
    } else {
      s.setString(at + 17, r.spanId());
    }
    s.setLong(at + 18, r.units());
  }

  @Override
  public IoRecord withId(IoRecord row, long id) {
    return row.withId(id);
  }
}
