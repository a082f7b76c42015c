package dev.lookout.collector;

import dev.lookout.collector.api.ApiServer;
import dev.lookout.collector.api.InsightRoutes;
import dev.lookout.collector.api.IoRoutes;
import dev.lookout.collector.api.RequestMetrics;
import dev.lookout.collector.auth.AdminAccount;
import dev.lookout.collector.auth.AuthRoutes;
import dev.lookout.collector.auth.Tokens;
import dev.lookout.collector.http.ListenAddress;
import dev.lookout.collector.ingest.AgentHealth;
import dev.lookout.collector.ingest.OtlpGrpcServer;
import dev.lookout.collector.ingest.OtlpServer;
import dev.lookout.collector.ingest.OtlpSettings;
import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.psk.PskKeys;
import dev.lookout.collector.psk.PskListener;
import dev.lookout.collector.retention.RetentionRules;
import dev.lookout.collector.retention.RetentionWorker;
import dev.lookout.collector.startup.StartupException;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.write.StoreWriter;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * A running collector built from its options: storage, OTLP ingest and the UI/API, started in that
 * order and closed in reverse. {@code CollectorMain} runs one per process; an application can embed one.
 */
public final class Collector implements AutoCloseable {
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private OtlpServer otlp;
  private OtlpGrpcServer otlpGrpc;
  private ApiServer api;
  private RetentionWorker retention;
  private StoreWriter writer;
  private PskListener psk;
  private Database database;

  private Collector() {}

  private <T extends AutoCloseable> T started(T part) {
    parts.push(part);
    return part;
  }

  /**
   * Opens the storage and starts every listener the options ask for; closing the returned collector
   * stops them and commits what was acknowledged. Throws {@link StartupException} with a message for
   * the operator when it cannot start, having closed whatever it had started.
   */
  public static Collector start(CollectorOptions options) {
    if (options.noAuth && !isLoopback(options.bind)) {
      throw new StartupException("--no-auth is refused when bound to " + options.bind
          + ": the UI would be open to the network. Bind to 127.0.0.1 or drop --no-auth.", null);
    }
    if (!isLoopback(options.bind) && options.ingestToken == null && options.pskPort == null) {
      throw new StartupException("bound to " + options.bind + " without --ingest-token or --psk-port: anyone who"
          + " can reach the OTLP port could write into this store. Set --ingest-token or --psk-port (or bind to"
          + " 127.0.0.1).", null);
    }
    long started = System.nanoTime();
    Collector c = new Collector();
    try {
      Database database = c.database = c.started(Database.open(options.dataDir, options.db));
      database.sizeWalFor(options.maxDbSize);
      LiveHub live = new LiveHub();
      StoreWriter writer = c.writer = c.started(new StoreWriter(database));
      writer.addListener(live::publish);
      RetentionRules rules = RetentionRules.parse(options.retention, options.maxRows);
      RetentionWorker retention = c.retention = c.started(new RetentionWorker(database, writer, rules, options.maxDbSize));
      AgentHealth health = new AgentHealth();
      RequestMetrics requestMetrics = new RequestMetrics();
      writer.addListener(requestMetrics);
      Consumer<JavalinConfig> auth = options.noAuth ? AuthRoutes.open()
          : AuthRoutes.of(AdminAccount.open(options.dataDir, options.adminPassword), Tokens.open(options.dataDir),
              options.publicMetrics);
      c.api = c.started(ApiServer.start(new ListenAddress(options.bind, options.port, "--port"), database, live, auth,
          InsightRoutes.of(database, writer, retention, health, live, requestMetrics),
          IoRoutes.of(database)));
      // With TLS-PSK and no token, plain OTLP stays on loopback: the PSK relay is its only way in from outside.
      String otlpBind = otlpBindOf(options);
      c.otlp = c.started(OtlpServer.start(
            new OtlpSettings(new ListenAddress(otlpBind, options.otlpPort, "--otlp-port"), options.maxBody, options.ingestToken),
            writer, health));
      if (options.otlpGrpcPort != 0) {
        c.otlpGrpc = c.started(OtlpGrpcServer.start(new OtlpSettings(
              new ListenAddress(otlpBind, options.otlpGrpcPort, "--otlp-grpc-port"), options.maxBody, options.ingestToken),
              writer, health));
      }
      if (options.pskPort != null) {
        c.psk = c.started(new PskListener(new ListenAddress(options.bind, options.pskPort, "--psk-port"), new PskKeys(options.dataDir),
            c.otlp.port()));
      }
    } catch (IOException | java.sql.SQLException e) {
      c.close();
      throw new StartupException("cannot start: " + e, e);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    Database database = c.database;
    System.out.printf("Lookout collector started in %d ms: UI http://%s:%d/ · OTLP http://%s:%d%s%s · data %s"
            + " · retention %s%s, cap %s%n",
        (System.nanoTime() - started) / 1_000_000, host(options.bind), c.api.port(), host(otlpBindOf(options)),
        c.otlp.port(), c.otlpGrpc == null ? "" : " · OTLP/gRPC " + host(otlpBindOf(options)) + ":" + c.otlpGrpc.port(),
        c.psk == null ? "" : " · TLS-PSK " + host(options.bind) + ":" + c.psk.port(), database.description(), options.retention,
        options.maxRows == null ? "" : ", max rows " + options.maxRows, humanBytes(options.maxDbSize));
    return c;
  }

  public int apiPort() {
    return api.port();
  }

  public int otlpPort() {
    return otlp.port();
  }

  /** The OTLP/gRPC listener's port, or -1 when it is off. */
  public int otlpGrpcPort() {
    return otlpGrpc == null ? -1 : otlpGrpc.port();
  }

  /** The TLS-PSK listener's port, or -1 when it is off. */
  public int pskPort() {
    return psk == null ? -1 : psk.port();
  }

  public RetentionWorker retention() {
    return retention;
  }

  /** The single writer: tests reach the write connection through {@link StoreWriter#execute}. */
  public StoreWriter writer() {
    return writer;
  }

  /** Ingest stops first, then the writer commits what it holds, then the API and the file close. */
  @Override
  public void close() {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        System.err.println("lookout-collector: while stopping: " + e);
      }
    }
  }

  static String otlpBindOf(CollectorOptions options) {
    return options.pskPort != null && options.ingestToken == null ? "127.0.0.1" : options.bind;
  }

  static String humanBytes(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int u = 0;
    double v = bytes;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return (v == Math.floor(v) ? String.valueOf((long) v) : String.format("%.1f", v)) + units[u];
  }

  static boolean isLoopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String host(String bind) {
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }
}
