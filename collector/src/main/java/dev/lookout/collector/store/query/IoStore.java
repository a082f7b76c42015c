package dev.lookout.collector.store.query;

import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.backend.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads I/O rows back: the per service/path/call-site summary of {@code GET /api/io}, and one trace's rows. */
public final class IoStore {

  /** Summary rows returned at most, largest byte counts first. */
  public static final int MAX_ITEMS = 1000;

  private final Database database;

  public IoStore(Database database) {
    this.database = database;
  }

  /**
   * One summary line: the rows of a service, path, call site, kind, mechanism and verdict added up;
   * {@code sampleTraceId} is the trace of one request among them (the latest), null outside requests.
   */
  public record Summary(String service, String path, String callSite, String kind, long calls, long bytes,
      long zeroCopyBytes, long copiedBytes, String mechanism, String verdict, String reason, long nanos,
      String source, String target, long firstSeen, long lastSeen, long units, String sampleTraceId) {}

  public List<Summary> summary(String service, Long from, Long to) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT service, path, call_site, kind, SUM(calls), SUM(bytes),"
        + " SUM(zero_copy_bytes), SUM(copied_bytes), mechanism, verdict, MAX(reason), SUM(nanos), MAX(source),"
        + " MAX(target), MIN(time), MAX(time), SUM(units),"
        // rows outside requests (path "-") carry the trace of the agent's lookout.io span: no example request
        + " MAX(CASE WHEN path <> '-' THEN trace_id END) FROM io WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (service != null) {
      sql.append(" AND service = ?");
      args.add(service);
    }
    if (from != null) {
      sql.append(" AND time >= ?");
      args.add(from);
    }
    if (to != null) {
      sql.append(" AND time < ?");
      args.add(to);
    }
    sql.append(" GROUP BY service, path, call_site, kind, mechanism, verdict ORDER BY SUM(bytes) DESC, service,"
        + " path, call_site LIMIT ").append(MAX_ITEMS);
    return database.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          s.setObject(i + 1, args.get(i));
        }
        List<Summary> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new Summary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getLong(12), rs.getString(13), rs.getString(14), rs.getLong(15), rs.getLong(16), rs.getLong(17),
                rs.getString(18)));
          }
        }
        return out;
      }
    });
  }

  /** The rows of one trace, looked for in a time range (there is no trace-id index: MEASURED.md). */
  public List<IoRecord> ofTrace(String traceId, long from, long to) throws SQLException {
    return database.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT id, time, service, path, call_site, kind, calls, bytes,"
          + " zero_copy_bytes, copied_bytes, mechanism, verdict, reason, nanos, source, target, trace_id, span_id, units"
          + " FROM io WHERE time >= ? AND time <= ? AND trace_id = ? ORDER BY id LIMIT 500")) {
        s.setLong(1, from);
        s.setLong(2, to);
        s.setString(3, traceId);
        List<IoRecord> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(new IoRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getLong(14), rs.getString(15), rs.getString(16),
                rs.getString(17), rs.getString(18), rs.getLong(19)));
          }
        }
        return out;
      }
    });
  }
}
