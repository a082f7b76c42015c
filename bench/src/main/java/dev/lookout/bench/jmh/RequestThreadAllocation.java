package dev.lookout.bench.jmh;

import com.sun.management.ThreadMXBean;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.export.TelemetryPipeline;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What the application's own thread allocates per recorded request and per captured log record,
 * measured on that thread alone ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}). JMH's
 * {@code -prof gc} divides the allocation of every thread by the operations, the export thread's
 * included, so it cannot tell the request thread's part from the export thread's.
 *
 * <p>{@code java -cp bench/target/lookout-bench.jar dev.lookout.bench.jmh.RequestThreadAllocation}
 */
public final class RequestThreadAllocation {

  private static final String[] REQUEST_HEADERS = {
      "Host", "127.0.0.1:8080", "User-Agent", "wrk/4.2", "Accept", "*/*", "Cookie", "session=abc123"};
  private static final String[] RESPONSE_HEADERS = {"Content-Type", "application/json", "Content-Length", "142"};

  private RequestThreadAllocation() {}

  public static void main(String[] args) throws Exception {
    TelemetryPipeline pipeline = AgentPipeline.install();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    int n = 200_000;
    for (int round = 0; round < 5; round++) {
      boolean last = round == 4;
      long before = threads.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/json", null, "127.0.0.1", null,
            "wrk/4.2", REQUEST_HEADERS);
        long start = IoHooks.start();
        IoHooks.socketRead(start, 120);
        start = IoHooks.start();
        IoHooks.socketWrite(start, 310);
        ServletHooks.requestEnd(h, 200, null, "/json", RESPONSE_HEADERS);
        if ((i & 1023) == 0) {
          Thread.sleep(1); // give the export thread room, as a real server's pauses do: the pools stay warm
        }
      }
      long t1 = System.nanoTime();
      long requestBytes = threads.getCurrentThreadAllocatedBytes() - before;
      before = threads.getCurrentThreadAllocatedBytes();
      Object h = ServletHooks.requestStart("GET", "http", "127.0.0.1", 8080, "/log", null, "127.0.0.1", null,
          "wrk/4.2", null);
      for (int i = 0; i < n; i++) {
        LogHooks.record(System.currentTimeMillis(), LogHooks.INFO, "dev.lookout.bench.Orders",
            "served order 42 for 127.0.0.1", null);
        if ((i & 1023) == 0) {
          Thread.sleep(1);
        }
      }
      ServletHooks.requestEnd(h, 200, null, null, null);
      long logBytes = threads.getCurrentThreadAllocatedBytes() - before;
      if (last) {
        System.out.printf(Locale.ROOT,
            "request thread: %.1f B per request (headers, route, socket I/O), %.1f B per log record%n",
            (double) requestBytes / n, (double) logBytes / n);
      }
    }
    pipeline.shutdown();
  }
}
