package dev.lookout.bench.jmh;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.export.TelemetryPipeline;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's cost split by where it is paid, through the entry points the advice calls:
 *
 * <ol>
 *   <li>on the request thread: bytes allocated per recorded request and per captured log record, at
 *       a server's pace ({@code -DrequestRate}, 100k/s), measured on that thread alone
 *       ({@code getCurrentThreadAllocatedBytes}; time per call is JMH's to measure); JMH's {@code -prof gc}
 *       divides every thread's allocation by the operations, the export thread's included, so it
 *       cannot tell the two apart;</li>
 *   <li>off the request thread: with {@code collectorUrl} given (a discard OTLP endpoint such as
 *       {@code bench/agent-cost/sink}), the process's CPU time minus the request thread's, per exported
 *       span, at a paced rate the buffer never drops at: export thread, encoding, HTTP client, GC and
 *       JIT together (an upper bound of the export cost).</li>
 * </ol>
 *
 * <p>{@code java -cp bench/target/lookout-bench.jar dev.lookout.bench.jmh.HotPathCost [collectorUrl]}
 */
public final class HotPathCost {

  private static final String[] REQUEST_HEADERS = {
      "Host", "127.0.0.1:8080", "User-Agent", "wrk/4.2", "Accept", "*/*", "Cookie", "session=abc123"};
  private static final String[] RESPONSE_HEADERS = {"Content-Type", "application/json", "Content-Length", "142"};

  private HotPathCost() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : null;
    TelemetryPipeline pipeline = AgentPipeline.install(url);
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = 200_000;
    int pace = Integer.getInteger("requestRate", 100_000);
    for (int round = 0; round < 5; round++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      paced(n, pace, HotPathCost::request);
      long requestBytes = threads.getCurrentThreadAllocatedBytes() - before;
      before = threads.getCurrentThreadAllocatedBytes();
      paced(n, pace, HotPathCost::containerRequest);
      long containerBytes = threads.getCurrentThreadAllocatedBytes() - before;
      Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/log", null, "127.0.0.1", null,
          "wrk/4.2", null);
      before = threads.getCurrentThreadAllocatedBytes();
      paced(n, pace, () -> LogHooks.record(System.currentTimeMillis(), LogHooks.INFO, "dev.lookout.bench.Orders",
          "served order 42 for 127.0.0.1", null));
      long logBytes = threads.getCurrentThreadAllocatedBytes() - before;
      ServletHooks.requestEnd(h, 200, null, null, null);
      if (round == 4) {
        System.out.printf(Locale.ROOT,
            "request thread: %.1f B allocated per request (headers, route, socket I/O), %.1f B per log record"
                + " (at %d/s)%n", (double) requestBytes / n, (double) logBytes / n, pace);
        System.out.printf(Locale.ROOT,
            "request thread, inside a container exchange (Jetty/Tomcat advice, flush after the servlet): %.1f B"
                + " per request%n", (double) containerBytes / n);
      }
    }
    if (url != null) {
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      int rate = Integer.getInteger("rate", 20_000);
      int seconds = Integer.getInteger("seconds", 10);
      long exportThread = exportThreadId();
      for (int round = 0; round < 2; round++) { // the first round warms the export path up
        Thread.sleep(1000);
        long process = os.getProcessCpuTime();
        long own = threads.getCurrentThreadCpuTime();
        long export = threads.getThreadCpuTime(exportThread);
        long total = (long) rate * seconds;
        paced(total, rate, HotPathCost::request);
        Thread.sleep(1000); // the last batches go out
        long elsewhere = (os.getProcessCpuTime() - process) - (threads.getCurrentThreadCpuTime() - own);
        export = threads.getThreadCpuTime(exportThread) - export;
        if (round == 1) {
          System.out.printf(Locale.ROOT,
              "export thread: %.2f us CPU per exported request span (encoding and HTTP); off the request thread"
                  + " in all: %.2f us (%d spans at %d/s; with GC and JIT)%n",
              export / 1000.0 / total, elsewhere / 1000.0 / total, total, rate);
        }
      }
    }
    pipeline.shutdown();
  }

  /** The agent's export thread (the target's own figure: its CPU per span, nothing else counted). */
  private static long exportThreadId() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("lookout-export")) {
        return t.getId();
      }
    }
    throw new IllegalStateException("no lookout-export thread: the pipeline did not start");
  }

  /** Runs {@code task} {@code total} times at {@code rate} a second, a slice per millisecond. */
  private static void paced(long total, int rate, Runnable task) {
    int perMilli = Math.max(1, rate / 1000);
    long next = System.nanoTime();
    for (long i = 0; i < total; i++) {
      task.run();
      if (i % perMilli == perMilli - 1) {
        next += 1_000_000;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
    }
  }

  /** The same request as Jetty's or Tomcat's exchange advice sees it: the response written after the servlet. */
  private static void containerRequest() {
    Object exchange = ServletHooks.exchangeEnter();
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/json", null, "127.0.0.1", null,
        "wrk/4.2", AgentPipeline.headers(REQUEST_HEADERS));
    IoHooks.socketRead(IoHooks.start(), 120);
    ServletHooks.requestEnd(h, 200, null, "/json", AgentPipeline.headers(RESPONSE_HEADERS));
    IoHooks.socketWrite(IoHooks.start(), 310);
    ServletHooks.exchangeExit(exchange);
  }

  private static void request() {
    Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/json", null, "127.0.0.1", null,
        "wrk/4.2", AgentPipeline.headers(REQUEST_HEADERS));
    long start = IoHooks.start();
    IoHooks.socketRead(start, 120);
    start = IoHooks.start();
    IoHooks.socketWrite(start, 310);
    ServletHooks.requestEnd(h, 200, null, "/json", AgentPipeline.headers(RESPONSE_HEADERS));
  }
}
