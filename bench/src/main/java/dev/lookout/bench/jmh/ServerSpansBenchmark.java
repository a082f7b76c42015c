package dev.lookout.bench.jmh;

import dev.lookout.agent.bootstrap.HeaderPairs;
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
 * One SERVER span per request through the same entry points the servlet advice calls:
 * {@link ServletHooks#requestStart} then {@link ServletHooks#requestEnd}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ServerSpansBenchmark {

  private static final String[] REQUEST_HEADERS = {
      "Host", "127.0.0.1:8080", "User-Agent", "wrk/4.2", "Accept", "*/*", "Cookie", "session=abc123"};
  private static final String[] RESPONSE_HEADERS = {
      "Content-Type", "application/json", "Content-Length", "142"};

  private TelemetryPipeline pipeline;

  @Setup
  public void setUp() {
    pipeline = AgentPipeline.install();
  }

  @TearDown
  public void tearDown() {
    pipeline.shutdown();
  }

  /** What /plain costs: no query, no route, no headers. */
  @Benchmark
  public void plainRequest() {
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/plain", null, "127.0.0.1", null,
        "wrk/4.2", null);
    ServletHooks.requestEnd(h, 200, null, null, null);
  }

  /** A query (redacted), a route and a propagated traceparent. */
  @Benchmark
  public void requestWithQueryRouteParent() {
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/api/orders/42", "id=42&token=s3cret",
        "127.0.0.1", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "wrk/4.2", null);
    ServletHooks.requestEnd(h, 200, null, "/api/orders/{id}", null);
  }

  /**
   * With request and response headers captured (lookout.capture.headers=true, the default), handed over
   * as the servlet helper does: gathered pair by pair in the thread's scratch, which is cleared after
   * the hook returned (the container's strings are not kept).
   */
  @Benchmark
  public void requestWithHeaders() {
    HeaderPairs request = AgentPipeline.headers(REQUEST_HEADERS);
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/json", null, "127.0.0.1", null,
        "wrk/4.2", request);
    request.clear();
    HeaderPairs response = AgentPipeline.headers(RESPONSE_HEADERS);
    ServletHooks.requestEnd(h, 200, null, null, response);
    response.clear();
  }

  /**
   * What a real request costs: headers captured both ways, a route, and the socket read and write
   * the container does inside it (counted by the socket advice, summarised on the span at its end).
   */
  @Benchmark
  public void requestWithHeadersAndSocketIo() {
    HeaderPairs request = AgentPipeline.headers(REQUEST_HEADERS);
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/json", null, "127.0.0.1", null,
        "wrk/4.2", request);
    request.clear();
    long start = IoHooks.start();
    IoHooks.socketRead(start, 120);
    start = IoHooks.start();
    IoHooks.socketWrite(start, 310);
    HeaderPairs response = AgentPipeline.headers(RESPONSE_HEADERS);
    ServletHooks.requestEnd(h, 200, null, "/json", response);
    response.clear();
  }
}
