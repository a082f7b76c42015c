package dev.lookout.collector.store.query;

import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.backend.Sql;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The services seen: from their requests and from their logs (a batch job has only logs). */
public final class ServiceStore {

  private final Database database;

  public ServiceStore(Database database) {
    this.database = database;
  }

  public record Service(String name, long lastSeen, long requests, long errors) {}

  public List<Service> all() throws SQLException {
    Map<String, long[]> byName = new TreeMap<>();
    database.read(c -> {
      // The first reads only the (service, time) index, the second the 5xx rows of the unusual status index.
      new Sql("SELECT service, max(start_time), count(*) FROM requests GROUP BY service").query(c, rs -> {
        byName.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), 0});
        return null;
      });
      new Sql("SELECT service, count(*) FROM requests"
          + database.backend().indexedBy(RequestIndexes.UNUSUAL_STATUS_INDEX) + " WHERE status_class >= 5"
          + RequestIndexes.UNUSUAL_STATUS + " AND status >= 500"
          + " GROUP BY service").query(c, rs -> {
        byName.computeIfAbsent(rs.getString(1), k -> new long[3])[2] = rs.getLong(2);
        return null;
      });
      new Sql("SELECT service, max(time) FROM logs GROUP BY service").query(c, rs -> {
        long[] v = byName.computeIfAbsent(rs.getString(1), k -> new long[3]);
        v[0] = Math.max(v[0], rs.getLong(2));
        return null;
      });
      return null;
    });
    return byName.entrySet().stream()
        .map(e -> new Service(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
        .toList();
  }
}
