package dev.lookout.collector.store.query;

import dev.lookout.collector.store.DurationClasses;
import dev.lookout.collector.store.RequestColumns;
import dev.lookout.collector.store.RequestDetails;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Reads requests back for the API. */
public final class RequestStore {

  private static final String COLUMNS = "id, trace_id, span_id, service, method, path, route, query, status,"
      + " duration_ms, start_time, client_address, exception_count, log_count, attributes, lifted, scheme,"
      + " server_address, server_port, user_agent, error_type, socket_in, socket_out, socket_calls, socket_nanos,"
      + " zero_copy_bytes, copied_bytes, io_verdict, details";
  /** The packed fields of a row written since the details column ({@link RequestDetails}); null before. */
  private static final int DETAILS = 29;
  /** How far from a trace id's embedded time its request is looked for before scanning everything. */
  private static final long WINDOW_MS = 10 * 60_000;
  private static final long NEAR_MS = 5_000;

  private static final String ORDER = " ORDER BY start_time DESC, id DESC LIMIT ?";
  /** Rows a text search scans per step, and how long it scans before answering with a partial page. */
  static final int TEXT_SCAN_STEP = 5_000;
  static final long TEXT_SCAN_BUDGET_NANOS = 25_000_000;

  private final Database database;

  public RequestStore(Database database) {
    this.database = database;
  }

  /** One page, newest first, and the cursor of the next page (null at the end). */
  public record Page(List<RequestRecord> items, RequestQuery.Cursor next) {}

  public Page find(RequestQuery q) throws SQLException {
    List<RequestRecord> rows;
    if (q.minDurationMs() != null && DurationClasses.firstClassFor(q.minDurationMs()) >= RequestIndexes.FIRST_SLOW_CLASS) {
      rows = byDurationClass(q);
    } else if (q.text() != null || (q.minDurationMs() != null && !unusualStatus(q))) {
      TextScan scan = byText(q);
      rows = scan.rows();
      if (scan.stoppedAt() != null && rows.size() <= q.limit()) {
        return new Page(List.copyOf(rows), scan.stoppedAt());
      }
    } else {
      Sql sql = new Sql("SELECT " + COLUMNS + " FROM requests WHERE 1=1").append(filters(q, q.cursor()));
      sql.append(ORDER, q.limit() + 1);
      rows = database.read(c -> sql.query(c, RequestStore::read));
    }
    if (rows.size() <= q.limit()) {
      return new Page(rows, null);
    }
    List<RequestRecord> page = List.copyOf(rows.subList(0, q.limit()));
    RequestRecord last = page.get(page.size() - 1);
    return new Page(page, new RequestQuery.Cursor(last.startTime(), last.id()));
  }

  /**
   * A minimum duration of a slow class ({@link RequestIndexes#FIRST_SLOW_CLASS} on, the classes the
   * partial index holds): per duration class that can hold a match, that class's rows newest first
   * (one index walk each, stopping at a page), then the newest page of those. A shorter minimum is
   * scanned for like text, newest first within a time budget.
   */
  private List<RequestRecord> byDurationClass(RequestQuery q) throws SQLException {
    Sql union = new Sql("SELECT * FROM (");
    for (int k = DurationClasses.firstClassFor(q.minDurationMs()); k <= DurationClasses.lastClass(); k++) {
      if (k > DurationClasses.firstClassFor(q.minDurationMs())) {
        union.append(" UNION ALL ");
      }
      // every subquery named: PostgreSQL requires it
      union.append("SELECT * FROM (SELECT " + COLUMNS + " FROM requests WHERE duration_class = ?" + RequestIndexes.SLOW, k)
          .append(filters(q, q.cursor())).append(ORDER + ") AS class" + k, q.limit() + 1);
    }
    union.append(") AS classes" + ORDER, q.limit() + 1);
    return database.read(c -> union.query(c, RequestStore::read));
  }

  /** Rows a text search found, and where it stopped when its time ran out (null: it reached the end or a page). */
  private record TextScan(List<RequestRecord> rows, RequestQuery.Cursor stoppedAt) {}

  /**
   * {@code q}, or a minimum duration below the slow classes without a status outside 2xx: no index
   * serves a substring of path, query or route (a trigram index cost ingest three to four times over)
   * nor a short duration (the duration index holds only slow requests), so the rows are scanned
   * newest first in steps of
   * {@link #TEXT_SCAN_STEP}; once {@link #TEXT_SCAN_BUDGET_NANOS} are spent the page is answered
   * with what was found and a cursor where the scan stopped, so that no request scans millions of
   * rows and the client pages on as with any other filter.
   */
  private TextScan byText(RequestQuery q) throws SQLException {
    return database.read(c -> {
      long deadline = System.nanoTime() + TEXT_SCAN_BUDGET_NANOS;
      List<RequestRecord> found = new ArrayList<>();
      RequestQuery.Cursor position = q.cursor();
      while (true) {
        long stepStarted = System.nanoTime();
        Sql step = new Sql("SELECT start_time, id FROM requests WHERE 1=1");
        step.where(" AND start_time >= ?", q.from());
        step.where(" AND start_time < ?", q.to());
        cursor(step, position);
        step.append(ORDER + " OFFSET ?", 1, TEXT_SCAN_STEP - 1);
        List<RequestQuery.Cursor> boundary = step.query(c, rs -> new RequestQuery.Cursor(rs.getLong(1), rs.getLong(2)));
        Sql sql = new Sql("SELECT " + COLUMNS + " FROM requests WHERE 1=1").append(filters(q, position));
        if (!boundary.isEmpty()) {
          RequestQuery.Cursor b = boundary.get(0);
          sql.append(" AND start_time >= ? AND (start_time > ? OR id >= ?)", b.startTime(), b.startTime(), b.id());
        }
        sql.append(ORDER, q.limit() + 1 - found.size());
        found.addAll(sql.query(c, RequestStore::read));
        if (found.size() > q.limit() || boundary.isEmpty()) {
          return new TextScan(found, null);
        }
        position = boundary.get(0);
        if (!anotherStepFits(System.nanoTime(), stepStarted, deadline)) {
          return new TextScan(found, position);
        }
      }
    });
  }

  /**
   * Whether a step as long as the last one (started at {@code stepStarted}, ended {@code now}) still
   * ends by the deadline. Checking only whether the deadline had passed let the last step run past
   * it: on two busy cores a step took 20–30 ms, and a search with no match took twice its budget.
   */
  static boolean anotherStepFits(long now, long stepStarted, long deadline) {
    return now + (now - stepStarted) <= deadline;
  }

  /** The filters as " AND …" clauses, and the position after which rows are wanted. */
  private Sql filters(RequestQuery q, RequestQuery.Cursor cursor) {
    Sql sql = new Sql("");
    sql.where(" AND service = ?", q.service());
    sql.where(" AND method = ?", q.method());
    if (q.status() != null) {
      // the class first: the status index is by class
      sql.append(" AND status_class = ? AND status = ?", q.status() / 100, q.status());
      unusualStatus(sql, q.status() / 100);
    }
    if (q.statusClass() != null) {
      sql.append(" AND status_class = ?", q.statusClass());
      unusualStatus(sql, q.statusClass());
    }
    database.backend().pathGlob(sql, q.pathGlob());
    database.backend().pathRegex(sql, q.pathRegex());
    if (q.text() != null) {
      String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      String op = database.backend().caseInsensitiveLike();
      sql.append(" AND (path " + op + " ? ESCAPE '\\' OR query " + op + " ? ESCAPE '\\' OR route " + op
          + " ? ESCAPE '\\')", like, like, like);
    }
    sql.where(" AND start_time >= ?", q.from());
    sql.where(" AND start_time < ?", q.to());
    sql.where(" AND duration_ms >= ?", q.minDurationMs());
    cursor(sql, cursor);
    return sql;
  }

  /**
   * Whether {@code q} asks for a status outside 2xx: the unusual-status index then bounds the rows
   * read, whatever else the query asks (a short minimum duration, say).
   */
  private static boolean unusualStatus(RequestQuery q) {
    Integer statusClass = q.status() != null ? Integer.valueOf(q.status() / 100) : q.statusClass();
    return statusClass != null && statusClass != RequestIndexes.USUAL_STATUS_CLASS;
  }

  /**
   * A class other than 2xx is looked up in the partial index of unusual statuses, which SQLite uses
   * only when the query carries its term; 2xx rows are most rows and are found walking by time.
   */
  private static void unusualStatus(Sql sql, int statusClass) {
    if (statusClass != RequestIndexes.USUAL_STATUS_CLASS) {
      sql.append(RequestIndexes.UNUSUAL_STATUS);
    }
  }

  /** Rows after {@code cursor}, newest first; the first clause alone bounds an index range, the second is exact. */
  private static void cursor(Sql sql, RequestQuery.Cursor cursor) {
    if (cursor != null) {
      sql.append(" AND start_time <= ? AND (start_time < ? OR (start_time = ? AND id < ?))", cursor.startTime(),
          cursor.startTime(), cursor.startTime(), cursor.id());
    }
  }

  /**
   * The request of a trace: its SERVER span {@code spanId}, or when that is null its first. Trace
   * ids carry no index (a random-key index costs ingest six times over, MEASURED.md), so the
   * search starts in a time window: around {@code hint} when the caller knows when the request
   * ran, else around the time Lookout's agent embeds in the first 32 bits of its trace ids; only
   * then does it scan.
   */
  public RequestRecord byTrace(String traceId, String spanId, Long hint) throws SQLException {
    Long around = hint != null ? hint : TraceIds.embeddedMillis(traceId);
    if (around != null) {
      // A request almost always starts within seconds of its trace id's second, and a trace's
      // first request in that very second: with the time from the id, that second is looked in
      // first (±5 s read ten seconds' worth of index entries and rows before reaching it: 67-80 ms
      // p95 at 10M rows while ingesting), then within seconds of it, then ten minutes around it.
      long[][] windows = {{around, around + 999}, {around - NEAR_MS, around + NEAR_MS},
          {around - WINDOW_MS, around + WINDOW_MS}};
      if (hint != null) {
        windows = java.util.Arrays.copyOfRange(windows, 1, 3); // a caller's time is no second's start
      }
      for (long[] window : windows) {
        RequestRecord near = firstOfTrace(new Sql(" AND start_time BETWEEN ? AND ?", window[0], window[1]),
            traceId, spanId);
        if (near != null) {
          return near;
        }
      }
    }
    return firstOfTrace(new Sql(""), traceId, spanId);
  }

  private RequestRecord firstOfTrace(Sql range, String traceId, String spanId) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM requests WHERE trace_id = ?", traceId).append(range)
        .where(" AND span_id = ?", spanId).append(" ORDER BY start_time LIMIT 1");
    List<RequestRecord> found = database.read(c -> sql.query(c, RequestStore::read));
    return found.isEmpty() ? null : found.get(0);
  }

  private static RequestRecord read(ResultSet rs) throws SQLException {
    byte[] details = rs.getBytes(DETAILS);
    if (details != null) {
      RequestDetails.Unpacked d = RequestDetails.unpack(details);
      return new RequestRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
          rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getDouble(10), rs.getLong(11),
          d.clientAddress(), d.exceptionCount(), d.logCount(), d.attributesJson(), d.columns());
    }
    // written before the details column: every field in a column of its own
    return new RequestRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getDouble(10), rs.getLong(11),
        rs.getString(12), rs.getInt(13), rs.getInt(14), rs.getString(15), columns(rs, 16));
  }

  /** The lifted attributes' columns, from column {@code first} on (NONE for a row written before them). */
  private static RequestColumns columns(ResultSet rs, int first) throws SQLException {
    int lifted = rs.getInt(first);
    return lifted == 0 ? RequestColumns.NONE : new RequestColumns(lifted, rs.getString(first + 1),
        rs.getString(first + 2), rs.getLong(first + 3), rs.getString(first + 4), rs.getString(first + 5),
        rs.getLong(first + 6), rs.getLong(first + 7), rs.getLong(first + 8), rs.getLong(first + 9),
        rs.getLong(first + 10), rs.getLong(first + 11), rs.getString(first + 12));
  }
}
