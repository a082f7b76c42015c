package dev.lookout.collector.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads requests back for the API. */
public final class RequestStore {

  private static final String COLUMNS = "id, trace_id, span_id, service, method, path, route, query, status,"
      + " duration_ms, start_time, client_address, exception_count, log_count, attributes";

  private final Database database;

  public RequestStore(Database database) {
    this.database = database;
  }

  /** One page, newest first, and the cursor of the next page (null at the end). */
  public record Page(List<RequestRecord> items, RequestQuery.Cursor next) {}

  public Page find(RequestQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM requests WHERE 1=1");
    List<Object> args = new ArrayList<>();
    clause(sql, args, q.service(), " AND service = ?");
    clause(sql, args, q.method(), " AND method = ?");
    clause(sql, args, q.status(), " AND status = ?");
    if (q.statusClass() != null) {
      sql.append(" AND status BETWEEN ? AND ?");
      args.add(q.statusClass() * 100);
      args.add(q.statusClass() * 100 + 99);
    }
    clause(sql, args, q.pathGlob(), " AND path GLOB ?");
    clause(sql, args, q.pathRegex() == null ? null : q.pathRegex().pattern(), " AND path REGEXP ?");
    if (q.text() != null) {
      String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      sql.append(" AND (path LIKE ? ESCAPE '\\' OR query LIKE ? ESCAPE '\\' OR route LIKE ? ESCAPE '\\')");
      args.add(like);
      args.add(like);
      args.add(like);
    }
    clause(sql, args, q.from(), " AND start_time >= ?");
    clause(sql, args, q.to(), " AND start_time < ?");
    clause(sql, args, q.minDurationMs(), " AND duration_ms >= ?");
    if (q.cursor() != null) {
      sql.append(" AND (start_time < ? OR (start_time = ? AND id < ?))");
      args.add(q.cursor().startTime());
      args.add(q.cursor().startTime());
      args.add(q.cursor().id());
    }
    sql.append(" ORDER BY start_time DESC, id DESC LIMIT ?");
    args.add(q.limit() + 1);

    List<RequestRecord> rows = database.read(c -> {
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          s.setObject(i + 1, args.get(i));
        }
        List<RequestRecord> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs));
          }
        }
        return out;
      }
    });
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<RequestRecord> page = rows.subList(0, q.limit());
    RequestRecord last = page.get(page.size() - 1);
    return new Page(List.copyOf(page), new RequestQuery.Cursor(last.startTime(), last.id()));
  }

  private static void clause(StringBuilder sql, List<Object> args, Object value, String condition) {
    if (value != null) {
      sql.append(condition);
      args.add(value);
    }
  }

  private static RequestRecord read(ResultSet rs) throws SQLException {
    return new RequestRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getDouble(10), rs.getLong(11),
        rs.getString(12), rs.getInt(13), rs.getInt(14), rs.getString(15));
  }
}
