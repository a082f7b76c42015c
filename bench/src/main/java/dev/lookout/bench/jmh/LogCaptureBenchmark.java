package dev.lookout.bench.jmh;

import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.export.TelemetryPipeline;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** A log record captured through {@link LogHooks}, as the Logback/Log4j2/JUL advice hands it over. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class LogCaptureBenchmark {

  private static final Logger JUL = Logger.getLogger("dev.lookout.bench.Orders");

  private TelemetryPipeline pipeline;
  private Object request;
  private LogRecord julRecord;

  @Setup
  public void setUp() {
    pipeline = AgentPipeline.install();
    JUL.setUseParentHandlers(false); // the JUL path is measured up to the handlers, not the console
    julRecord = new LogRecord(Level.INFO, "served order 42 for 127.0.0.1");
    julRecord.setLoggerName(JUL.getName());
    // A request stays open on the benchmark thread: records are counted against it and linked to its span.
    request = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/log", null, "127.0.0.1", null, "wrk/4.2",
        null);
  }

  @TearDown
  public void tearDown() {
    ServletHooks.requestEnd(request, 200, null, null, null);
    pipeline.shutdown();
  }

  /** An INFO record from Logback or Log4j2 (SLF4J included), inside a request. */
  @Benchmark
  public void infoRecordInRequest() {
    LogHooks.record(System.currentTimeMillis(), LogHooks.INFO, "dev.lookout.bench.Orders",
        "served order 42 for 127.0.0.1", null);
  }

  /** A JUL record at Logger.log(LogRecord), inside a request. */
  @Benchmark
  public boolean julRecordInRequest() {
    boolean captured = LogHooks.recordJul(JUL, julRecord);
    if (captured) {
      LogHooks.julDone();
    }
    return captured;
  }

  /** A DEBUG record below lookout.logs.level (INFO): the cost of saying no. */
  @Benchmark
  public void debugRecordFiltered() {
    LogHooks.record(System.currentTimeMillis(), LogHooks.DEBUG, "dev.lookout.bench.Orders",
        "served order 42 for 127.0.0.1", null);
  }
}
