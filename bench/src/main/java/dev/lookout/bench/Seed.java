package dev.lookout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Pre-loads a benchmark database with requests and log records written straight into SQLite,
 * so that queries can be timed at 5 million rows without first ingesting them all over HTTP. The
 * rows follow CollectorBench's distributions, lie in the hours before the ingested one at the same
 * density, and get ids in time order as ingest would give them. Request rollups are not seeded.
 * Requests are stored as the collector stores an agent's span: its attributes in their columns
 * (the collector's RequestColumns; its Key bits are written out here, as the bench runs without the
 * collector's classes), none left for the attribute JSON.
 */
final class Seed {

  private static final String[] SERVICES = {"checkout", "catalog", "payments", "search", "accounts", "shipping",
      "inventory", "gateway"};
  private static final String[] PATHS = {"/api/orders/", "/api/products/", "/api/cart", "/api/search",
      "/api/users/", "/health", "/static/app.js", "/api/payments/"};
  private static final String[] ROUTES = {"/api/orders/{id}", "/api/products/{id}", "/api/cart", "/api/search",
      "/api/users/{id}/profile", "/health", "/static/*", "/api/payments/{id}/capture"};
  private static final String[] MESSAGES = {"Order %d placed", "Cache miss for product %d",
      "Payment declined for order %d: insufficient funds", "Inventory reserved for order %d",
      "Search for term %d returned results", "Session %d refreshed", "Shipping label %d printed",
      "Slow call to upstream took %d ms"};
  private static final int PER_COMMIT = 20_000;
  /**
   * The attributes every seeded request's span had, as RequestColumns.Key bits: method 0, path 1,
   * scheme 2, server address 3, server port 4, client address 5, user agent 7, route 8, status 9,
   * socket in, out, calls and nanos 16 to 19. The query (6) and the counts (11, 12) only sometimes.
   */
  private static final int LIFTED = 0b1111_0000_0011_1011_1111;
  private static final int QUERY = 1 << 6;
  private static final int LOG_COUNT = 1 << 11;
  private static final int EXCEPTION_COUNT = 1 << 12;

  private Seed() {}

  /** {@code rows} requests and as many log records before {@code windowStart}, {@code perHour} an hour. */
  static void load(Path db, long rows, long perHour, long windowStart) throws SQLException {
    long t0 = System.nanoTime();
    long first = windowStart - (long) Math.ceil(rows * 3_600_000.0 / perHour);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      // Bulk load: the indexes and the full-text trigger go, and are built once at the end (a sort
      // instead of millions of index inserts); nothing needs to survive a crash of this loader.
      List<String> rebuild = new ArrayList<>();
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA synchronous = OFF");
        s.execute("PRAGMA cache_size = -262144");
        try (ResultSet rs = s.executeQuery("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('requests',"
            + " 'logs') AND sql IS NOT NULL AND type IN ('index', 'trigger') AND name <> 'logs_fts_delete'")) {
          while (rs.next()) {
            rebuild.add(rs.getString(1) + "\u0000" + rs.getString(2) + "\u0000" + rs.getString(3));
          }
        }
        for (String r : rebuild) {
          String[] f = r.split("\u0000");
          s.execute("DROP " + f[0].toUpperCase(Locale.ROOT) + " " + f[1]);
        }
      }
      c.setAutoCommit(false);
      SplittableRandom random = new SplittableRandom(7);
      try (PreparedStatement req = c.prepareStatement("INSERT INTO requests (trace_id, span_id, service, method, path,"
          + " route, query, status, duration_ms, start_time, client_address, exception_count, log_count, lifted,"
          + " scheme, server_address, server_port, user_agent, socket_in, socket_out, socket_calls, socket_nanos)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
           PreparedStatement log = c.prepareStatement("INSERT INTO logs (time, service, level, logger, thread, message,"
               + " exception, trace_id, span_id) VALUES (?,?,?,?,?,?,?,?,?)")) {
        for (long i = 0; i < rows; i++) {
          long time = first + i * 3_600_000L / perHour;
          String service = SERVICES[random.nextInt(SERVICES.length)];
          int p = random.nextInt(PATHS.length);
          String path = p == 4 ? PATHS[p] + random.nextInt(100_000) + "/profile"
              : p == 7 ? PATHS[p] + random.nextInt(100_000) + "/capture"
              : PATHS[p].endsWith("/") ? PATHS[p] + random.nextInt(100_000) : PATHS[p];
          int roll = random.nextInt(1000);
          String method = p == 7 || roll < 150 ? "POST" : roll < 170 ? "DELETE" : "GET";
          int status = roll < 20 ? 500 : roll < 25 ? 503 : roll < 75 ? 404 : 200;
          double duration = Math.exp(random.nextGaussian() * 1.3 + 2.0);
          String traceId = String.format(Locale.ROOT, "%08x%016x%08x", time / 1000, random.nextLong(),
              random.nextInt());
          String client = "10.0." + random.nextInt(256) + "." + random.nextInt(256);
          String query = random.nextInt(4) == 0 ? "page=" + random.nextInt(50) + "&sort=price" : null;
          req.setString(1, traceId);
          req.setString(2, String.format(Locale.ROOT, "%016x", random.nextLong()));
          req.setString(3, service);
          req.setString(4, method);
          req.setString(5, path);
          req.setString(6, ROUTES[p]);
          req.setString(7, query);
          req.setInt(8, status);
          req.setDouble(9, duration);
          req.setLong(10, time);
          req.setString(11, client);
          int logCount = random.nextInt(4);
          req.setInt(12, status >= 500 ? 1 : 0);
          req.setInt(13, logCount);
          req.setInt(14, LIFTED | (query != null ? QUERY : 0) | (logCount > 0 ? LOG_COUNT : 0)
              | (status >= 500 ? EXCEPTION_COUNT : 0));
          req.setString(15, "http");
          req.setString(16, service + ".internal");
          req.setInt(17, 8080);
          req.setString(18, "Mozilla/5.0 (X11; Linux x86_64) bench/1.0");
          req.setInt(19, 200 + random.nextInt(600));
          req.setInt(20, 150 + random.nextInt(4000));
          req.setInt(21, 2 + random.nextInt(3));
          req.setInt(22, 20_000 + random.nextInt(200_000));
          req.addBatch();
          int level = roll < 800 ? 3 : roll < 920 ? 4 : roll < 970 ? 5 : 2;
          String message = MESSAGES[p].replace("%d", Integer.toString(random.nextInt(1_000_000)));
          if (random.nextInt(10_000) == 0) {
            message = message + " (kerfuffle in the retry logic)";
          }
          log.setLong(1, time);
          log.setString(2, service);
          log.setInt(3, level);
          log.setString(4, "dev.example.shop.OrderService");
          log.setString(5, "http-nio-8080-exec-" + random.nextInt(200));
          log.setString(6, message);
          log.setString(7, level == 5 ? "java.net.SocketTimeoutException: Read timed out\n\tat"
              + " dev.example.shop.PaymentClient.capture(PaymentClient.java:88)\n" : null);
          log.setString(8, traceId);
          log.setString(9, String.format(Locale.ROOT, "%016x", random.nextLong()));
          log.addBatch();
          if ((i + 1) % PER_COMMIT == 0 || i == rows - 1) {
            req.executeBatch();
            log.executeBatch();
            c.commit();
          }
          if ((i + 1) % 500_000 == 0) {
            System.out.printf(Locale.ROOT, "  seeded %,d requests and log records (%.0f s)%n", i + 1,
                (System.nanoTime() - t0) / 1e9);
          }
        }
      }
      try (Statement s = c.createStatement()) {
        for (String r : rebuild) {
          s.execute(r.split("\u0000")[2]);
        }
        s.execute("INSERT INTO logs_fts(logs_fts) VALUES ('rebuild')");
      }
      c.commit();
    }
    System.out.printf(Locale.ROOT, "seed: %,d requests and %,d log records in %.0f s%n", rows, rows,
        (System.nanoTime() - t0) / 1e9);
  }
}
