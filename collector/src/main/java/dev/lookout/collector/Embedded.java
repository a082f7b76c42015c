package dev.lookout.collector;

import dev.lookout.collector.startup.StartupException;
import java.util.function.BiFunction;
import picocli.CommandLine;

/**
 * The collector inside an application's JVM, started by the Lookout agent ({@code lookout.embedded})
 * from its own class loader ({@link dev.lookout.protocol.Embedding}). Only JDK types cross that boundary: {@link #start} answers a handle that
 * is an {@link AutoCloseable} (stop: ingest first, then the writer commits, then the store closes) and a
 * {@code BiFunction<String, byte[], Integer>} into the in-process ingest (see
 * {@link dev.lookout.collector.ingest.InProcessIngest#ingest}). Its start line and a generated admin
 * password go to standard error: the application's standard output is not the collector's.
 */
public final class Embedded implements AutoCloseable, BiFunction<String, byte[], Integer> {

  private final Collector collector;

  private Embedded(Collector collector) {
    this.collector = collector;
  }

  /**
   * Starts a collector from command-line options. Throws {@link IllegalArgumentException} with the
   * collector's own message for bad options or a failed start.
   */
  public static Object start(String[] args) {
    try {
      CommandLine cli = CollectorOptions.parse(args);
      return new Embedded(Collector.start(cli.getCommand(), System.err));
    } catch (CommandLine.ParameterException | StartupException e) {
      throw new IllegalArgumentException("lookout-collector: " + e.getMessage(), e);
    }
  }

  @Override
  public Integer apply(String signal, byte[] request) {
    return collector.inProcess().ingest(signal, request);
  }

  @Override
  public void close() {
    collector.close();
  }
}
