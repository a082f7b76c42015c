package dev.lookout.bench.jmh;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.export.TelemetryPipeline;
import java.util.concurrent.TimeUnit;
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

/**
 * A socket read or write counted: what the socket advice adds around each call
 * ({@link IoHooks#start} on enter, {@link IoHooks#socketWrite}/{@link IoHooks#socketRead} on exit),
 * inside a recorded request. Target: zero allocation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class SocketIoBenchmark {

  private TelemetryPipeline pipeline;
  private Object request;

  @Setup
  public void setUp() {
    pipeline = AgentPipeline.install();
    request = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/file", null, "127.0.0.1", null, "wrk/4.2",
        null);
  }

  @TearDown
  public void tearDown() {
    ServletHooks.requestEnd(request, 200, null, null, null);
    pipeline.shutdown();
  }

  @Benchmark
  public void socketWriteCounted() {
    long start = IoHooks.start();
    IoHooks.socketWrite(start, 8192);
  }

  @Benchmark
  public void socketReadCounted() {
    long start = IoHooks.start();
    IoHooks.socketRead(start, 512);
  }
}
