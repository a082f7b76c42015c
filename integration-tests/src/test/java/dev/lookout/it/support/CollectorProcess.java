package dev.lookout.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar lookout-collector.jar} on free ports with its own data directory. */
public final class CollectorProcess extends ForkedProcess {

  private final int port;
  private final int otlpPort;
  private final Path dataDir;

  private CollectorProcess(List<String> command, int port, int otlpPort, Path dataDir) {
    super("collector", command);
    this.port = port;
    this.otlpPort = otlpPort;
    this.dataDir = dataDir;
  }

  public static CollectorProcess start(String... extraArgs) {
    try {
      return start(Files.createTempDirectory("lookout-it-data"), extraArgs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static CollectorProcess start(Path dataDir, String... extraArgs) {
    return start(dataDir, freePort(), freePort(), extraArgs);
  }

  /** On given ports: a restart after a crash comes back where the agents expect it. */
  public static CollectorProcess start(Path dataDir, int port, int otlpPort, String... extraArgs) {
    return start(List.of(), dataDir, port, otlpPort, extraArgs);
  }

  /** With JVM options (a heap cap, say) before {@code -jar}. */
  public static CollectorProcess start(List<String> jvmArgs, Path dataDir, int port, int otlpPort,
      String... extraArgs) {
    List<String> command = new ArrayList<>(List.of(Jars.javaOf(Path.of(System.getProperty("java.home")))));
    command.addAll(jvmArgs);
    command.addAll(List.of("-jar", Jars.collector().toString(),
        "--port", Integer.toString(port), "--otlp-port", Integer.toString(otlpPort),
        "--data-dir", dataDir.toString()));
    if (!List.of(extraArgs).contains("--otlp-grpc-port")) {
      // Collectors run side by side here: none of them takes the shared default 4317.
      command.addAll(List.of("--otlp-grpc-port", "off"));
    }
    command.addAll(List.of(extraArgs));
    CollectorProcess p = new CollectorProcess(command, port, otlpPort, dataDir);
    p.awaitLine(line -> line.contains("Lookout collector started"), Duration.ofSeconds(60));
    return p;
  }

  /** The TLS-PSK port the collector printed at start (it was started with --psk-port). */
  public int pskPort() {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("TLS-PSK [^ ]*:(\\d+)").matcher(output());
    if (!m.find()) {
      throw new IllegalStateException("no TLS-PSK listener in the collector's output:\n" + output());
    }
    return Integer.parseInt(m.group(1));
  }

  public int port() {
    return port;
  }

  public int otlpPort() {
    return otlpPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String otlpUrl() {
    return "http://127.0.0.1:" + otlpPort;
  }

  public LookoutApi api() {
    return new LookoutApi("http://127.0.0.1:" + port);
  }
}
