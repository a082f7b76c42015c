package dev.lookout.collector.store.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.RequestColumns;
import dev.lookout.collector.store.RequestDetails;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.support.Store;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer inserts full groups of rows with one multi-row INSERT (where the backend asks for it)
 * and the rest row by row: whatever the sizes of the batches and commits, every row comes back with
 * every column as it was handed in, nulls included, under consecutive ids in the order submitted;
 * a request's fields that no query filters on come back from its packed details column.
 */
class MultiRowInsertTest {

  @TempDir
  Path dataDir;

  /** Sizes around the group boundaries (groups of 128 and 16 rows on SQLite) and larger than a commit holds. */
  private static final int[] BATCH_SIZES = {1, 15, 16, 17, 127, 128, 129, 144, 145, 159, 7, 512, 2, 9000, 0, 3};

  @ParameterizedTest
  @EnumSource(Store.class)
  void everyColumnOfEveryRowRoundTripsWhateverTheBatchSizes(Store store) throws Exception {
    SplittableRandom random = new SplittableRandom(23);
    List<RequestRecord> requests = new ArrayList<>();
    List<LogEntryRecord> logs = new ArrayList<>();
    String[] args = store.freshArgs();
    Database db = Database.open(dataDir, args.length == 0 ? null : args[1]);
    try {
      try (StoreWriter writer = new StoreWriter(db)) {
        List<CompletableFuture<Void>> committed = new ArrayList<>();
        for (int size : BATCH_SIZES) {
          List<RequestRecord> r = new ArrayList<>();
          List<LogEntryRecord> l = new ArrayList<>();
          for (int i = 0; i < size; i++) {
            r.add(request(random, requests.size() + i));
            l.add(log(random, logs.size() + i));
          }
          requests.addAll(r);
          logs.addAll(l);
          // a batch of requests only, then one with both kinds: the kinds' groups do not mix
          committed.add(writer.submit(new WriteBatch().addAll(Tables.REQUESTS, r)));
          committed.add(writer.submit(new WriteBatch().addAll(Tables.LOGS, l).addAll(Tables.REQUESTS, List.of())));
        }
        for (CompletableFuture<Void> f : committed) {
          f.get();
        }
        assertThat(writer.rowsWritten()).isEqualTo(requests.size() + logs.size());
      }
      List<String> expectedRequests = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        expectedRequests.add(requestRow(i + 1, requests.get(i)));
      }
      List<String> expectedLogs = new ArrayList<>();
      for (int i = 0; i < logs.size(); i++) {
        expectedLogs.add(logRow(i + 1, logs.get(i)));
      }
      // the packed fields unpacked in place of the details column
      assertThat(rows(db, "SELECT id, trace_id, span_id, service, method, path, route, query, status, duration_ms,"
          + " start_time, details FROM requests ORDER BY id")).containsExactlyElementsOf(expectedRequests);
      assertThat(rows(db, "SELECT count(*) FROM requests WHERE client_address IS NOT NULL OR lifted <> 0"
          + " OR user_agent IS NOT NULL OR socket_in <> 0 OR attributes IS NOT NULL"))
          .as("the columns the packed fields had before are left at their defaults").containsExactly("[0]");
      assertThat(rows(db, "SELECT id, time, service, level, logger, thread, message, exception, trace_id, span_id"
          + " FROM logs ORDER BY id")).containsExactlyElementsOf(expectedLogs);
    } finally {
      db.close();
    }
  }

  private static List<String> rows(Database db, String sql) throws Exception {
    return db.read(c -> {
      List<String> out = new ArrayList<>();
      try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          Object[] values = new Object[meta.getColumnCount()];
          for (int i = 0; i < values.length; i++) {
            Object v = rs.getObject(i + 1);
            if (v instanceof byte[] packed) {
              RequestDetails.Unpacked d = RequestDetails.unpack(packed);
              v = List.of(String.valueOf(d.clientAddress()), d.exceptionCount(), d.logCount(),
                  String.valueOf(d.attributesJson()), d.columns());
            }
            // SQLite answers small whole numbers as Integer and PostgreSQL REAL/DOUBLE as Double: compare as text
            values[i] = v instanceof Number n && !(v instanceof Double) && !(v instanceof Float) ? n.longValue()
                : v instanceof Float f ? (double) f : v;
          }
          out.add(Arrays.toString(values));
        }
      }
      return out;
    });
  }

  private static String requestRow(long id, RequestRecord r) {
    return Arrays.toString(new Object[] {id, r.traceId(), r.spanId(), r.service(), r.method(), r.path(), r.route(),
        r.query(), (long) r.status(), r.durationMs(), r.startTime(), List.of(String.valueOf(r.clientAddress()),
        r.exceptionCount(), r.logCount(), String.valueOf(r.attributesJson()), r.columns())});
  }

  private static String logRow(long id, LogEntryRecord l) {
    return Arrays.toString(new Object[] {id, l.time(), l.service(), (long) l.level(), l.logger(), l.thread(),
        l.message(), l.exception(), l.traceId(), l.spanId()});
  }

  /** Every column distinct per row (its index in it), the nullable ones null in some rows. */
  private static RequestRecord request(SplittableRandom random, int n) {
    boolean nulls = n % 5 == 3;
    RequestColumns columns = n % 7 == 6 ? RequestColumns.NONE : new RequestColumns(1 + random.nextInt(1 << 20), nulls ? null : "http" + n % 2,
        nulls ? null : "host-" + n, 8000 + n, nulls ? null : "agent/" + n + " \u00e9\u6f22", nulls ? null : "Err" + n,
        n * 3L, n * 5L + 1, n % 7, 1_000_000L * n, n * 11L, n * 13L, nulls ? null : "fallback-" + n);
    return new RequestRecord(0, String.format("%032x", n), String.format("%016x", n), "svc-" + n % 3,
        n % 2 == 0 ? "GET" : "POST", "/p/" + n + "/\u00e9", nulls ? null : "/p/{id}/" + n, nulls ? null : "q=" + n,
        200 + n % 400, n + 0.125, 1_700_000_000_000L + n, nulls ? null : "10.0.0." + n % 256, n % 4, n % 6,
        nulls ? null : "{\"k\":\"v" + n + "\"}", columns);
  }

  private static LogEntryRecord log(SplittableRandom random, int n) {
    boolean nulls = n % 4 == 1;
    return new LogEntryRecord(0, 1_700_000_000_000L + n, "svc-" + n % 3, 1 + random.nextInt(5),
        nulls ? null : "logger." + n, nulls ? null : "thread-" + n, "message " + n + " \u00e9",
        nulls ? null : "stack " + n, nulls ? null : String.format("%032x", n), nulls ? null : String.format("%016x", n));
  }
}
