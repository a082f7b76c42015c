package dev.lookout.collector.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** Reads requests back for the API. */
public final class RequestStore {

  private static final String COLUMNS = "id, trace_id, span_id, service, method, path, route, query, status,"
      + " duration_ms, start_time, client_address, exception_count, log_count, attributes";
  /** How far from a trace id's embedded time its request is looked for before scanning everything. */
  private static final long WINDOW_MS = 10 * 60_000;

  private final Database database;

  public RequestStore(Database database) {
    this.database = database;
  }

  /** One page, newest first, and the cursor of the next page (null at the end). */
  public record Page(List<RequestRecord> items, RequestQuery.Cursor next) {}

  public Page find(RequestQuery q) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM requests WHERE 1=1");
    sql.where(" AND service = ?", q.service());
    sql.where(" AND method = ?", q.method());
    sql.where(" AND status = ?", q.status());
    if (q.statusClass() != null) {
      sql.append(" AND status BETWEEN ? AND ?", q.statusClass() * 100, q.statusClass() * 100 + 99);
    }
    sql.where(" AND path GLOB ?", q.pathGlob());
    sql.where(" AND path REGEXP ?", q.pathRegex() == null ? null : q.pathRegex().pattern());
    if (q.text() != null) {
      String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      sql.append(" AND (path LIKE ? ESCAPE '\\' OR query LIKE ? ESCAPE '\\' OR route LIKE ? ESCAPE '\\')",
          like, like, like);
    }
    sql.where(" AND start_time >= ?", q.from());
    sql.where(" AND start_time < ?", q.to());
    sql.where(" AND duration_ms >= ?", q.minDurationMs());
    if (q.cursor() != null) {
      sql.append(" AND (start_time < ? OR (start_time = ? AND id < ?))", q.cursor().startTime(),
          q.cursor().startTime(), q.cursor().id());
    }
    sql.append(" ORDER BY start_time DESC, id DESC LIMIT ?", q.limit() + 1);
    List<RequestRecord> rows = database.read(c -> sql.query(c, RequestStore::read));
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<RequestRecord> page = List.copyOf(rows.subList(0, q.limit()));
    RequestRecord last = page.get(page.size() - 1);
    return new Page(page, new RequestQuery.Cursor(last.startTime(), last.id()));
  }

  /**
   * The request of a trace (its first SERVER span). Trace ids carry no index (a random-key index
   * costs ingest six times over, MEASURED.md), so the search starts in a time window: around
   * {@code hint} when the caller knows when the request ran, else around the time Lookout's agent
   * embeds in the first 32 bits of its trace ids; only then does it scan.
   */
  public RequestRecord byTrace(String traceId, Long hint) throws SQLException {
    Long around = hint != null ? hint : TraceIds.embeddedMillis(traceId);
    if (around != null) {
      List<RequestRecord> near = database.read(c -> new Sql("SELECT " + COLUMNS + " FROM requests"
          + " WHERE start_time BETWEEN ? AND ? AND trace_id = ? ORDER BY start_time LIMIT 1",
          around - WINDOW_MS, around + WINDOW_MS, traceId).query(c, RequestStore::read));
      if (!near.isEmpty()) {
        return near.get(0);
      }
    }
    List<RequestRecord> any = database.read(c -> new Sql("SELECT " + COLUMNS + " FROM requests"
        + " WHERE trace_id = ? ORDER BY start_time LIMIT 1", traceId).query(c, RequestStore::read));
    return any.isEmpty() ? null : any.get(0);
  }

  private static RequestRecord read(ResultSet rs) throws SQLException {
    return new RequestRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getDouble(10), rs.getLong(11),
        rs.getString(12), rs.getInt(13), rs.getInt(14), rs.getString(15));
  }
}
