package dev.lookout.collector;

import dev.lookout.collector.api.ApiServer;
import dev.lookout.collector.ingest.OtlpServer;
import dev.lookout.collector.ingest.Rows;
import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.store.Database;
import dev.lookout.collector.store.StoreWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/** {@code java -jar lookout-collector.jar}: storage, OTLP ingest and the UI/API, started in that order. */
public final class CollectorMain {

  private CollectorMain() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new CollectorOptions());
    try {
      CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return;
      }
      Collector collector = Collector.start(cli.getCommand());
      Runtime.getRuntime().addShutdownHook(new Thread(collector::close, "lookout-shutdown"));
    } catch (CommandLine.ParameterException e) {
      System.err.println("lookout-collector: " + e.getMessage());
      e.getCommandLine().usage(System.err);
      System.exit(2);
    } catch (StartupException e) {
      System.err.println("lookout-collector: " + e.getMessage());
      System.exit(1);
    }
  }

  /** A refusal to start with a message meant for the operator. */
  public static final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The running parts, closed in reverse order so that what was acknowledged is flushed. */
  public static final class Collector implements AutoCloseable {
    private final Database database;
    private final StoreWriter writer;
    private final OtlpServer otlp;
    private final ApiServer api;

    private Collector(Database database, StoreWriter writer, OtlpServer otlp, ApiServer api) {
      this.database = database;
      this.writer = writer;
      this.otlp = otlp;
      this.api = api;
    }

    public static Collector start(CollectorOptions options) {
      if (options.noAuth && !isLoopback(options.bind)) {
        throw new StartupException("--no-auth is refused when bound to " + options.bind
            + ": the UI would be open to the network. Bind to 127.0.0.1 or drop --no-auth.", null);
      }
      long started = System.nanoTime();
      Database database = Database.open(options.dataDir);
      LiveHub live = new LiveHub();
      StoreWriter writer = new StoreWriter(database);
      OtlpServer otlp;
      ApiServer api;
      try {
        otlp = OtlpServer.start(options, writer, Rows.publishingTo(live));
        try {
          api = ApiServer.start(options, database, live);
        } catch (RuntimeException e) {
          otlp.stop();
          throw e;
        }
      } catch (RuntimeException e) {
        writer.close();
        database.close();
        throw e;
      }
      System.out.printf("Lookout collector started in %d ms: UI http://%s:%d/ · OTLP http://%s:%d · data %s%n",
          (System.nanoTime() - started) / 1_000_000, host(options.bind), api.port(), host(options.bind), otlp.port(),
          database.file().toAbsolutePath());
      return new Collector(database, writer, otlp, api);
    }

    public int apiPort() {
      return api.port();
    }

    public int otlpPort() {
      return otlp.port();
    }

    @Override
    public void close() {
      otlp.stop();
      writer.close();
      api.stop();
      database.close();
    }
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
