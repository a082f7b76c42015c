package dev.lookout.collector.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.support.InProcessCollector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite uses a partial index only when the query repeats the index's WHERE term word for word: the
 * terms in {@link RequestIndexes} must be the migration's, or the rare-status and slow-request
 * filters would quietly walk the whole time index.
 */
class RequestIndexPlanTest {

  @TempDir
  Path dataDir;

  @Test
  void rareStatusAndSlowDurationQueriesUseThePartialIndexes() throws Exception {
    try (InProcessCollector ignored = new InProcessCollector(dataDir)) {
      // creates and migrates the database
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME))) {
      String order = " ORDER BY start_time DESC, id DESC LIMIT 51";
      assertThat(plan(c, "SELECT id FROM requests WHERE 1=1 AND status_class = 5" + RequestIndexes.UNUSUAL_STATUS + order))
          .contains(RequestIndexes.UNUSUAL_STATUS_INDEX);
      assertThat(plan(c, "SELECT id FROM requests WHERE duration_class = 10" + RequestIndexes.SLOW + order))
          .contains("requests_slow_time");
      // without the term the planner may not use it: what the term is for
      assertThat(plan(c, "SELECT id FROM requests WHERE 1=1 AND status_class = 5" + order))
          .doesNotContain(RequestIndexes.UNUSUAL_STATUS_INDEX);
      // the usual class is found by time
      assertThat(plan(c, "SELECT id FROM requests WHERE 1=1 AND status_class = 2" + order)).contains("requests_time");
    }
  }

  private static String plan(Connection c, String sql) throws Exception {
    StringBuilder plan = new StringBuilder();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        plan.append(rs.getString(4)).append('\n');
      }
    }
    return plan.toString();
  }
}
