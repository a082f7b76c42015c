package dev.lookout.bench.jmh;

import dev.lookout.agent.export.RecordExporter;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.redact.Redactor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The export thread's work per span, the send excepted: a batch of /hello-like spans is submitted,
 * then drained from the queue, encoded into an OTLP request, the records given back to their pool,
 * and the request handed to a transport that answers at once. Each request's strings are instances
 * of their own, as a container's are, so the encoder's repeat check compares contents. Everything is
 * in the CPU's cache here: in an application the records are colder, and the send (kernel time,
 * growing with the bytes) comes on top. Results are per span ({@link OperationsPerInvocation}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ExportBenchmark {

  private static final int BATCH = 256;

  private RecordExporter exporter;
  private final String[][] requestHeaders = new String[BATCH][];
  private final String[][] responseHeaders = new String[BATCH][];
  private final String[][] values = new String[BATCH][];

  @Setup
  public void setUp() {
    exporter = RecordExporter.discarding("jmh", new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS));
    for (int i = 0; i < BATCH; i++) {
      // what wrk's /hello request and Jetty's answer carry, as new strings per request
      requestHeaders[i] = new String[] {fresh("Host"), fresh("127.0.0.1:18080"), null, null};
      responseHeaders[i] = new String[] {fresh("Server"), fresh("Jetty(12.1.14)"), fresh("Date"),
          fresh("Sun, 06 Dec 2026 22:27:23 GMT"), fresh("Content-Type"), fresh("text/plain"),
          fresh("Content-Length"), fresh("6"), null, null};
      values[i] = new String[] {fresh("GET"), fresh("http"), fresh("127.0.0.1"), fresh("/hello"),
          fresh("127.0.0.1"), fresh("wrk/4.2"), fresh("/hello")};
    }
  }

  private static String fresh(String s) {
    return new String(s.toCharArray());
  }

  /** A batch of /hello spans (default headers, socket figures) through the export thread's work. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void helloSpans() {
    for (int i = 0; i < BATCH; i++) {
      SpanRecord r = exporter.span();
      r.traceIdHigh = TraceIds.newId();
      r.traceIdLow = TraceIds.newId();
      r.spanId = TraceIds.newId();
      r.sampled = true;
      r.startEpochNanos = exporter.epochNanos();
      String[] v = values[i];
      r.method = v[0];
      r.scheme = v[1];
      r.serverAddress = v[2];
      r.serverPort = 18080;
      r.path = v[3];
      r.clientAddress = v[4];
      r.userAgent = v[5];
      r.route = v[6];
      r.requestHeaders = kept(requestHeaders[i], r.requestHeaders);
      r.responseHeaders = kept(responseHeaders[i], r.responseHeaders);
      r.status = 200;
      r.socketOut = 131;
      r.socketCalls = 1;
      r.socketNanos = 158_401;
      r.endEpochNanos = r.startEpochNanos + 45_000;
      exporter.submit(r);
    }
    exporter.exportNow(1_000);
  }

  /**
   * The pairs in the record's own array, as the servlet helper's hand-over leaves them (a reset empties
   * it): a plain copy, so that what is measured stays the export thread's work.
   */
  private static String[] kept(String[] pairs, String[] recordArray) {
    String[] to = recordArray != null && recordArray.length >= pairs.length
        ? recordArray : new String[Math.max(16, pairs.length)];
    System.arraycopy(pairs, 0, to, 0, pairs.length);
    return to;
  }
}
