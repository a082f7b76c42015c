package dev.lookout.it.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated agents: each a thread sending OTLP/protobuf span batches at a fixed rate, retrying a
 * 503 after its Retry-After the way the SDK exporter does. Every span's path names its agent,
 * batch and index, so the test can tell exactly which acknowledged spans are stored.
 */
public final class OtlpLoad implements AutoCloseable {

  /** A batch the collector acknowledged with a 2xx, and when its spans start (epoch ms). */
  public record Acked(int agent, int batch, int spans, long startMillis) {}

  public static final String SERVICE = "load";
  private static final int MAX_TRIES = 5;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String tracesUrl;
  private final int spansPerBatch;
  private final long periodNanos;
  private final List<Thread> agents = new ArrayList<>();
  private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
  private final AtomicLong ackedSpans = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final AtomicLong givenUp = new AtomicLong();
  private volatile boolean running = true;

  public OtlpLoad(String otlpUrl, int agentCount, int spansPerBatch, Duration period) {
    this.tracesUrl = otlpUrl + "/v1/traces";
    this.spansPerBatch = spansPerBatch;
    this.periodNanos = period.toNanos();
    for (int a = 0; a < agentCount; a++) {
      int agent = a;
      Thread t = new Thread(() -> run(agent), "load-agent-" + a);
      t.setDaemon(true);
      agents.add(t);
    }
    agents.forEach(Thread::start);
  }

  private void run(int agent) {
    // Spread the agents over one period so the aggregate rate is steady.
    long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(periodNanos);
    for (int batch = 0; running; batch++) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        sleepNanos(wait);
      }
      next += periodNanos;
      long start = System.currentTimeMillis();
      byte[] body = batch(agent, batch, start);
      for (int attempt = 1; ; attempt++) {
        int status = send(body);
        if (status >= 200 && status < 300) {
          acked.add(new Acked(agent, batch, spansPerBatch, start));
          ackedSpans.addAndGet(spansPerBatch);
          break;
        }
        if (status < 0) { // timed out or cut off: the collector may or may not have committed it
          unknown.incrementAndGet();
          break;
        }
        refused.incrementAndGet();
        if (attempt == MAX_TRIES || !running) {
          givenUp.incrementAndGet();
          break;
        }
        sleepNanos(Duration.ofMillis(500L * attempt).toNanos());
      }
    }
  }

  private int send(byte[] body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(tracesUrl)).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private byte[] batch(int agent, int batch, long startMillis) {
    ScopeSpans.Builder spans = ScopeSpans.newBuilder();
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < spansPerBatch; i++) {
      long start = startMillis * 1_000_000L + i;
      spans.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(randomId(r, 16)))
          .setSpanId(ByteString.copyFrom(randomId(r, 8))).setName("GET /load").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000L + r.nextInt(50_000_000))
          .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("url.path", path(agent, batch, i)))
          .addAttributes(kv("http.route", "/load/{agent}/{batch}/{i}"))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(r.nextInt(10) == 0 ? 500 : 200))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", SERVICE))
            .addAttributes(kv("service.instance.id", "agent-" + agent)))
        .addScopeSpans(spans)).build().toByteArray();
  }

  public static String path(int agent, int batch, int index) {
    return "/load/" + agent + "/" + batch + "/" + index;
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static byte[] randomId(ThreadLocalRandom r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    b[0] |= 1;
    return b;
  }

  private static void sleepNanos(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<Acked> acked() {
    return List.copyOf(acked);
  }

  public long ackedSpans() {
    return ackedSpans.get();
  }

  /** 503 answers (each retried until {@link #MAX_TRIES}). */
  public long refused() {
    return refused.get();
  }

  /** Batches whose fate is unknown: timed out or the connection broke. */
  public long unknown() {
    return unknown.get();
  }

  /** Batches dropped after {@link #MAX_TRIES} refusals: never acknowledged, so never promised. */
  public long givenUp() {
    return givenUp.get();
  }

  public int spansPerBatch() {
    return spansPerBatch;
  }

  /** Stops sending and waits for every batch in flight to be answered. */
  @Override
  public void close() {
    running = false;
    for (Thread t : agents) {
      try {
        t.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
