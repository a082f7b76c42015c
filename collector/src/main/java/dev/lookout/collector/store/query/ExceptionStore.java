package dev.lookout.collector.store.query;

import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Exception groups (by fingerprint) and the occurrences of one trace. */
public final class ExceptionStore {

  private static final String COLUMNS = "id, time, service, fingerprint, type, message, stacktrace, trace_id, span_id,"
      + " source";

  private final Database database;

  public ExceptionStore(Database database) {
    this.database = database;
  }

  /** One group: the latest occurrence stands for its type, message and sample trace. */
  public record Group(String service, String fingerprint, long count, long firstSeen, long lastSeen,
      ExceptionRecord latest) {}

  /** Groups with occurrences in [from, to), most recently seen first. */
  public List<Group> groups(String service, Long from, Long to, int limit) throws SQLException {
    Sql sql = new Sql("SELECT g.service, g.fingerprint, g.n, g.first, g.last, e." + COLUMNS.replace(", ", ", e.")
        + " FROM (SELECT service, fingerprint, count(*) AS n, min(time) AS first, max(time) AS last,"
        + " max(id) AS latest FROM exceptions WHERE 1=1");
    sql.where(" AND service = ?", service);
    sql.where(" AND time >= ?", from);
    sql.where(" AND time < ?", to);
    sql.append(" GROUP BY service, fingerprint) g JOIN exceptions e ON e.id = g.latest ORDER BY g.last DESC LIMIT ?",
        limit);
    return database.read(c -> sql.query(c, rs -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3),
        rs.getLong(4), rs.getLong(5), read(rs, 6))));
  }

  /**
   * Occurrences per group in {@code buckets} equal slices of [from, to), in one grouped scan: the
   * sparklines of the exceptions view without a query per slice. Keys are {@link #key}.
   */
  public Map<String, long[]> histograms(String service, long from, long to, int buckets) throws SQLException {
    long width = Math.max(1, (to - from + buckets - 1) / buckets);
    Sql sql = new Sql("SELECT service, fingerprint, (time - ?) / ? AS b, count(*) FROM exceptions"
        + " WHERE time >= ? AND time < ?", from, width, from, to);
    sql.where(" AND service = ?", service);
    sql.append(" GROUP BY service, fingerprint, b");
    record Slice(String key, long bucket, long count) {}
    List<Slice> slices = database.read(c -> sql.query(c,
        rs -> new Slice(key(rs.getString(1), rs.getString(2)), rs.getLong(3), rs.getLong(4))));
    Map<String, long[]> histograms = new HashMap<>();
    for (Slice slice : slices) {
      histograms.computeIfAbsent(slice.key(), k -> new long[buckets])[(int) Math.min(buckets - 1, slice.bucket())] += slice.count();
    }
    return histograms;
  }

  public static String key(String service, String fingerprint) {
    return service + '\u0000' + fingerprint;
  }

  public List<ExceptionRecord> ofTrace(String traceId, long from, long to) throws SQLException {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM exceptions WHERE time >= ? AND time <= ? AND trace_id = ?"
        + " ORDER BY time, id LIMIT 1000", from, to, traceId);
    return database.read(c -> sql.query(c, rs -> read(rs, 1)));
  }

  private static ExceptionRecord read(ResultSet rs, int first) throws SQLException {
    return new ExceptionRecord(rs.getLong(first), rs.getLong(first + 1), rs.getString(first + 2),
        rs.getString(first + 3), rs.getString(first + 4), rs.getString(first + 5), rs.getString(first + 6),
        rs.getString(first + 7), rs.getString(first + 8), rs.getString(first + 9));
  }
}
