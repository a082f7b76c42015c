package dev.lookout.collector.store.write;

import dev.lookout.collector.store.DurationHistogram;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-minute counts, errors and duration histograms per service and route, kept up to date in the
 * same transaction as the requests themselves (so charts never disagree with the rows), and read
 * back for the overview charts over any range without touching the requests table.
 */
public final class RequestRollups {

  private static final String UPSERT = "INSERT INTO request_rollups"
      + " (service, minute, route, count, errors, total_ms, max_ms, histogram) VALUES (?,?,?,?,?,?,?,?)"
      // columns named by table (PostgreSQL finds a bare name ambiguous), and the larger
      // maximum by CASE (SQLite's max(a, b) is PostgreSQL's GREATEST)
      + " ON CONFLICT (service, minute, route) DO UPDATE SET count = request_rollups.count + excluded.count,"
      + " errors = request_rollups.errors + excluded.errors, total_ms = request_rollups.total_ms + excluded.total_ms,"
      + " max_ms = CASE WHEN excluded.max_ms > request_rollups.max_ms THEN excluded.max_ms"
      + " ELSE request_rollups.max_ms END, histogram = excluded.histogram";
  private static final String CURRENT = "SELECT histogram FROM request_rollups WHERE service = ? AND minute = ? AND route = ?";

  private RequestRollups() {}

  private record Key(String service, long minute, String route) {}

  private static final class Cell {
    long count;
    long errors;
    double totalMs;
    double maxMs;
    final DurationHistogram histogram = new DurationHistogram();
  }

  /**
   * One batch's requests summed per service, minute and route. Summed on the thread that received
   * the batch: hashing each row's fresh strings and filling its histogram was 15 % of the writer
   * thread's own (Java) time, and the writer is the one thread that cannot run in parallel.
   */
  static final class Cells {
    final Map<Key, Cell> cells = new HashMap<>();
    long rows;

    static Cells of(List<RequestRecord> rows) {
      Cells out = new Cells();
      out.rows = rows.size();
      for (RequestRecord r : rows) {
        Cell cell = out.cells.computeIfAbsent(new Key(r.service(), r.startTime() / 60_000, routeOf(r)), k -> new Cell());
        cell.count++;
        cell.errors += r.status() >= 500 ? 1 : 0;
        cell.totalMs += r.durationMs();
        cell.maxMs = Math.max(cell.maxMs, r.durationMs());
        cell.histogram.add(r.durationMs());
      }
      return out;
    }

    /** Adds {@code other}'s sums to these. */
    void add(Cells other) {
      rows += other.rows;
      for (Map.Entry<Key, Cell> e : other.cells.entrySet()) {
        Cell from = e.getValue();
        Cell into = cells.get(e.getKey());
        if (into == null) {
          into = new Cell();
          cells.put(e.getKey(), into);
        }
        into.count += from.count;
        into.errors += from.errors;
        into.totalMs += from.totalMs;
        into.maxMs = Math.max(into.maxMs, from.maxMs);
        into.histogram.merge(from.histogram);
      }
    }
  }

  /**
   * Folds a commit's requests into their minutes; runs on the writer thread, inside its transaction.
   * {@code prepared} holds the {@link Cells} of the commit's batches, summed when they were
   * submitted; rows of a batch that was not (none, when it is empty) are summed here.
   */
  static void add(Connection c, List<RequestRecord> rows, List<Object> prepared) throws SQLException {
    Cells sums;
    if (prepared.size() == 1) {
      sums = (Cells) prepared.get(0);
    } else {
      sums = new Cells();
      for (Object p : prepared) {
        sums.add((Cells) p);
      }
    }
    if (sums.rows != rows.size()) {
      sums = Cells.of(rows); // some batch was not summed when submitted: all are summed here instead
    }
    Map<Key, Cell> cells = sums.cells;
    try (PreparedStatement current = c.prepareStatement(CURRENT); PreparedStatement upsert = c.prepareStatement(UPSERT)) {
      for (Map.Entry<Key, Cell> e : cells.entrySet()) {
        Key k = e.getKey();
        Cell cell = e.getValue();
        current.setString(1, k.service);
        current.setLong(2, k.minute);
        current.setString(3, k.route);
        try (ResultSet rs = current.executeQuery()) {
          if (rs.next()) {
            cell.histogram.merge(rs.getBytes(1));
          }
        }
        upsert.setString(1, k.service);
        upsert.setLong(2, k.minute);
        upsert.setString(3, k.route);
        upsert.setLong(4, cell.count);
        upsert.setLong(5, cell.errors);
        upsert.setDouble(6, cell.totalMs);
        upsert.setDouble(7, cell.maxMs);
        upsert.setBytes(8, cell.histogram.toBytes());
        upsert.executeUpdate();
      }
    }
  }

  static String routeOf(RequestRecord r) {
    return r.route() != null ? r.route() : r.path();
  }

  /** A route's totals over the whole range, while they are summed. */
  private static final class RouteTotals {
    final String service;
    final String route;
    final DurationHistogram histogram = new DurationHistogram();
    double max;

    RouteTotals(String service, String route) {
      this.service = service;
      this.route = route;
    }
  }

  /** One point of the overview series. */
  public record Point(long time, long requests, long errors, double p50, double p95, double p99) {}

  /** One row of the slowest routes. */
  public record Route(String service, String route, long count, double p95, double max) {}

  /** The overview of [from, to): {@code buckets} points, and the ten slowest routes by p95. */
  public record Overview(List<Point> series, List<Route> slowRoutes) {}

  public static Overview overview(Database db, String service, long from, long to, int buckets) throws SQLException {
    long firstMinute = from / 60_000;
    long lastMinute = Math.max(firstMinute, (to - 1) / 60_000);
    long minutesPerBucket = Math.max(1, (lastMinute - firstMinute + buckets) / buckets);
    int n = (int) ((lastMinute - firstMinute) / minutesPerBucket + 1);
    long[] requests = new long[n];
    long[] errors = new long[n];
    DurationHistogram[] histograms = new DurationHistogram[n];
    Map<String, RouteTotals> routes = new HashMap<>();
    Sql sql = new Sql("SELECT service, minute, route, count, errors, max_ms, histogram FROM request_rollups"
        + " WHERE minute BETWEEN ? AND ?", firstMinute, lastMinute);
    sql.where(" AND service = ?", service);
    db.read(c -> sql.query(c, rs -> {
      int b = (int) ((rs.getLong(2) - firstMinute) / minutesPerBucket);
      requests[b] += rs.getLong(4);
      errors[b] += rs.getLong(5);
      byte[] hist = rs.getBytes(7);
      if (histograms[b] == null) {
        histograms[b] = new DurationHistogram();
      }
      histograms[b].merge(hist);
      String svc = rs.getString(1);
      String route = rs.getString(3);
      RouteTotals totals = routes.computeIfAbsent(svc + "\u0000" + route, k -> new RouteTotals(svc, route));
      totals.histogram.merge(hist);
      totals.max = Math.max(totals.max, rs.getDouble(6));
      return null;
    }));
    List<Point> series = new java.util.ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      DurationHistogram h = histograms[b] == null ? new DurationHistogram() : histograms[b];
      series.add(new Point((firstMinute + b * minutesPerBucket) * 60_000, requests[b], errors[b], h.percentile(0.5),
          h.percentile(0.95), h.percentile(0.99)));
    }
    List<Route> slow = routes.values().stream()
        .map(r -> new Route(r.service, r.route, r.histogram.total(), r.histogram.percentile(0.95), r.max))
        .sorted((a, b) -> Double.compare(b.p95(), a.p95()))
        .limit(10)
        .toList();
    return new Overview(series, slow);
  }
}
