package dev.lookout.protocol;

/**
 * The collector embedded in an application's JVM: the agent loads the collector jar in a class loader
 * of its own and calls {@code public static Object start(String[] args)} on {@link #ENTRY}. The answer
 * is an {@code AutoCloseable} and a {@code BiFunction<String, byte[], Integer>} taking an OTLP protobuf
 * request of a signal ({@link #TRACES}, {@link #LOGS}, {@link #METRICS}) and answering an HTTP status.
 * Only JDK types cross between the two loaders.
 */
public final class Embedding {

  /** The collector's entry point for embedding. */
  public static final String ENTRY = "dev.lookout.collector.Embedded";
  /** The name of the embedded collector's class loader: the agent advises no class it defines. */
  public static final String LOADER_NAME = "lookout-collector";

  public static final String TRACES = "traces";
  public static final String LOGS = "logs";
  public static final String METRICS = "metrics";

  private Embedding() {}
}
