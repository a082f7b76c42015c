package dev.lookout.collector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** The command line of SPEC §1; every option may also come from {@code LOOKOUT_COLLECTOR_<NAME>}. */
@Command(name = "lookout-collector", mixinStandardHelpOptions = true, versionProvider = CollectorOptions.Version.class,
    defaultValueProvider = CollectorOptions.EnvironmentDefaults.class,
    description = "Receives OTLP from Lookout agents (or any OpenTelemetry SDK), stores it in SQLite or PostgreSQL and"
        + " serves the web UI.",
    footer = {"", "Every option can also be set in the environment as LOOKOUT_COLLECTOR_<NAME>, e.g."
        + " LOOKOUT_COLLECTOR_OTLP_PORT=4318 or LOOKOUT_COLLECTOR_NO_AUTH=true.",
        "On Linux the jar runs as a program: ./lookout-collector.jar [options] (JAVA_HOME selects the JDK,"
        + " LOOKOUT_JAVA_OPTS adds JVM options)."})
public final class CollectorOptions {

  @Option(names = "--bind", description = "Address for both ports (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
  public String bind;

  @Option(names = "--port", description = "Web UI and JSON API port (default: ${DEFAULT-VALUE}).", defaultValue = "7070")
  public int port;

  @Option(names = "--otlp-port", description = "OTLP/HTTP ingest port (default: ${DEFAULT-VALUE}).", defaultValue = "4318")
  public int otlpPort;

  @Option(names = "--otlp-grpc-port", defaultValue = "4317", converter = PortOrOffConverter.class,
      description = "OTLP/gRPC ingest port, all three signals, same token and limits; 0 or off turns it off"
          + " (default: ${DEFAULT-VALUE}).")
  public int otlpGrpcPort;

  @Option(names = "--psk-port",
      description = "TLS-PSK ingest listener (keys in <data-dir>/psk.keys: one 'identity hexkey' per line); off by default.")
  public Integer pskPort;

  @Option(names = "--data-dir", description = "Directory holding lookout.db (default: ${DEFAULT-VALUE}).", defaultValue = "./lookout-data")
  public Path dataDir;

  @Option(names = "--db", description = "Where to store: SQLite in --data-dir (the default), or"
      + " postgresql://host:port/database?user=…&password=… for a PostgreSQL server.")
  public String db;

  @Option(names = "--max-body", description = "Largest OTLP request body, after decompression too (default: ${DEFAULT-VALUE}).",
      defaultValue = "16MB", converter = ByteSizeConverter.class)
  public long maxBody;

  @Option(names = "--retention", defaultValue = "7d", converter = RetentionConverter.class,
      description = "Maximum age of stored events: 7d, or per signal: requests=7d,logs=3d,io=1d (default: ${DEFAULT-VALUE}).")
  public String retention;

  @Option(names = "--max-rows", converter = MaxRowsConverter.class,
      description = "Optional cap on rows: 1000000, or per signal: requests=1000000,logs=5000000.")
  public String maxRows;

  @Option(names = "--max-db-size", defaultValue = "1GB", converter = ByteSizeConverter.class,
      description = "Storage cap: the oldest events go first so the database stays under it (default: ${DEFAULT-VALUE}).")
  public long maxDbSize;

  @Option(names = "--admin-password",
      description = "Password of the UI user 'admin' (default: generated at first start and printed once).")
  public String adminPassword;

  @Option(names = "--ingest-token",
      description = "Token agents must send (Authorization: Bearer …) to ingest; required when not bound to loopback.")
  public String ingestToken;

  @Option(names = "--public-metrics",
      description = "Serve /metrics (Prometheus) without login; by default it needs a token like /api/*.")
  public boolean publicMetrics;

  @Option(names = "--no-auth", description = "Serve the UI and API without login; refused unless bound to loopback.")
  public boolean noAuth;

  @Option(names = "--config", paramLabel = "FILE", description = "A file of these options, one key=value a line"
      + " (port=7070, no-auth=true), # comment lines; the command line wins over it, and it over the environment.")
  public Path config;

  /**
   * The parsed command line ({@code getCommand()} holds the options), with a {@code --config} file's
   * options before the command line's own, so these win. Usage errors are {@link CommandLine.ParameterException}s,
   * a bad config file line a {@link dev.lookout.collector.startup.StartupException}.
   */
  public static CommandLine parse(String... args) {
    CommandLine cli = new CommandLine(new CollectorOptions());
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    Path file = cli.<CollectorOptions>getCommand().config;
    if (file == null || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
      return cli;
    }
    List<String> all = new ArrayList<>(ConfigFile.arguments(file));
    all.addAll(List.of(args));
    CommandLine merged = new CommandLine(new CollectorOptions()).setOverwrittenOptionsAllowed(true);
    merged.parseArgs(all.toArray(String[]::new));
    return merged;
  }

  /** {@code LOOKOUT_COLLECTOR_OTLP_PORT} for {@code --otlp-port}, and so on. */
  public static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec argSpec) {
      if (!(argSpec instanceof OptionSpec)) {
        return null;
      }
      String name = ((OptionSpec) argSpec).longestName().replaceFirst("^-+", "");
      String value = System.getenv("LOOKOUT_COLLECTOR_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (value != null && ((OptionSpec) argSpec).type() == boolean.class) {
        return Boolean.toString(!value.isBlank() && !value.equalsIgnoreCase("false") && !value.equals("0"));
      }
      return value;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CollectorOptions.class.getPackage().getImplementationVersion();
      return new String[] {"lookout-collector " + (v == null ? "dev" : v)};
    }
  }

  /** Validates {@code --retention} at parse time, so a typo is a usage error and not a late surprise. */
  public static final class RetentionConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      dev.lookout.collector.retention.RetentionRules.parse(value, null);
      return value;
    }
  }

  /** Validates {@code --max-rows} likewise. */
  public static final class MaxRowsConverter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      dev.lookout.collector.retention.RetentionRules.parse("7d", value);
      return value;
    }
  }

  /** {@code 16MB}, {@code 512kb}, {@code 1GB} or a byte count. */
  /** A port number, or {@code off} (as {@code 0}) for a listener that is not started. */
  public static final class PortOrOffConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.trim();
      if (v.equalsIgnoreCase("off")) {
        return 0;
      }
      int port;
      try {
        port = Integer.parseInt(v);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a port number (0-65535) or 'off'");
      }
      if (port < 0 || port > 65535) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a port number (0-65535) or 'off'");
      }
      return port;
    }
  }

  public static final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return ByteSizes.parse(value);
    }
  }
}
