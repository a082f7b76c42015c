package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.support.Otlp;
import dev.lookout.agent.trace.ExceptionEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-off from application threads to export: the shared bound on what waits for the
 * collector (records and bytes, taken at submit, given back on the answer), sampling, pooling, and
 * the records as the OTLP exporter receives them.
 */
class RecordExporterTest {

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();
  private final Redactor redactor = new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS);

  /** What a transport received, read back, with answers the test gives. */
  static final class Held<T> {
    final List<T> received = new ArrayList<>();
    final List<CompletableResultCode> answers = new ArrayList<>();

    synchronized CompletableResultCode take(List<T> batch) {
      received.addAll(batch);
      CompletableResultCode answer = new CompletableResultCode();
      answers.add(answer);
      return answer;
    }

    synchronized void answerAll(boolean ok) {
      answers.forEach(a -> {
        if (ok) {
          a.succeed();
        } else {
          a.fail();
        }
      });
    }
  }

  private final Held<SpanData> spans = new Held<>();
  private final Held<LogRecordData> logs = new Held<>();

  private RecordExporter exporter(long maxRecords, long maxBytes, double ratio) {
    return RecordExporter.create((buffer, length, n) -> spans.take(Otlp.spans(Arrays.copyOf(buffer, length))),
        (buffer, length, n) -> logs.take(Otlp.logs(Arrays.copyOf(buffer, length))), Attributes.of(AttributeKey.stringKey("service.name"), "shop"),
        redactor, maxRecords, maxBytes, meters.get("test"), ratio);
  }

  private static void request(RecordSink sink, String path, int status) {
    SpanRecord r = sink.span();
    r.traceIdHigh = 1;
    r.traceIdLow = TraceIds.newId();
    r.spanId = 7;
    r.startEpochNanos = sink.epochNanos();
    r.method = "GET";
    r.path = path;
    r.status = status;
    r.endEpochNanos = sink.epochNanos();
    sink.submit(r);
  }

  @Test
  void recordsOverTheCountAreDroppedUntilAnExportIsAnsweredEvenAFailedOne() {
    RecordExporter sink = exporter(3, 1 << 20, 1.0);
    for (int i = 0; i < 5; i++) {
      request(sink, "/" + i, 200);
    }
    sink.exportNow(50);
    assertThat(spans.received).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/0", "/1", "/2");
    assertThat(sink.heldRecords()).isEqualTo(3);
    assertThat(dropped("traces")).isEqualTo(2);

    spans.answerAll(false);
    assertThat(sink.heldRecords()).isZero();
    assertThat(sink.heldBytes()).isZero();
    request(sink, "/5", 200);
    sink.exportNow(50);
    assertThat(spans.received).hasSize(4);
  }

  @Test
  void aRecordOverTheBytesIsDroppedAndSmallOnesStillGo() {
    RecordExporter sink = exporter(100, 64 * 1024, 1.0);
    SpanRecord big = sink.span();
    big.traceIdLow = 1;
    big.spanId = 1;
    big.method = "GET";
    big.path = "/big";
    big.addEvent("exception", sink.epochNanos(), Attributes.empty(), new IllegalStateException("x".repeat(100_000)));
    sink.submit(big);
    request(sink, "/plain", 200);
    sink.exportNow(50);

    assertThat(spans.received).singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(SpanKeys.PATH)).isEqualTo("/plain"));
    assertThat(dropped("traces")).isEqualTo(1);
    assertThat(sink.heldBytes()).isBetween(200L, 64 * 1024L);
    spans.answerAll(true);
    assertThat(sink.heldBytes()).isZero();
  }

  @Test
  void aRequestGoesOnceItHasTheBatchBytesBeforeItHasTheBatchCount() {
    List<Integer> lengths = new ArrayList<>();
    List<SpanData> received = new ArrayList<>();
    RecordExporter sink = RecordExporter.create((buffer, length, n) -> {
      lengths.add(length);
      received.addAll(Otlp.spans(Arrays.copyOf(buffer, length)));
      return CompletableResultCode.ofSuccess();
    }, (buffer, length, n) -> CompletableResultCode.ofSuccess(), Attributes.empty(), redactor, 10_000, 64 << 20,
        meters.get("test"), 1.0);
    String longPath = "/" + "p".repeat(1000);
    for (int i = 0; i < 2000; i++) { // ~2 MiB of spans, under the 2,048-record batch
      request(sink, longPath + i, 200);
    }
    sink.exportNow(5_000);

    assertThat(received).hasSize(2000);
    assertThat(lengths).hasSizeGreaterThan(4)
        .allSatisfy(length -> assertThat(length).isLessThan(TelemetryPipeline.EXPORT_BATCH_BYTES + 2048));
  }

  @Test
  void spansAndLogRecordsShareTheCount() {
    RecordExporter sink = exporter(2, 1 << 20, 1.0);
    log(sink, "first");
    request(sink, "/a", 200);
    log(sink, "third");
    sink.exportNow(50);

    assertThat(logs.received).singleElement()
        .satisfies(l -> assertThat(l.getBodyValue().asString()).isEqualTo("first"));
    assertThat(spans.received).hasSize(1);
    assertThat(dropped("logs")).isEqualTo(1);
  }

  @Test
  void aSampleRatioKeepsItsShareOfRequestsAndEveryError() {
    RecordExporter sink = exporter(10_000, 16 << 20, 0.25);
    for (int i = 0; i < 4000; i++) {
      request(sink, "/p", i % 10 == 0 ? 500 : 200);
    }
    sink.exportNow(2_000);
    long errors = spans.received.stream().filter(s -> s.getAttributes().get(SpanKeys.STATUS) == 500L).count();
    long ordinary = spans.received.size() - errors;
    assertThat(errors).isEqualTo(400);
    assertThat(ordinary).isBetween(900L - 150, 900L + 150);
  }

  @Test
  void recordsGoBackToThePoolClearedOnceExported() {
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    SpanRecord r = sink.span();
    r.traceIdLow = 1;
    r.spanId = 2;
    r.method = "POST";
    r.path = "/x";
    r.query = "token=abc";
    r.requestHeaders = new String[] {"Cookie", "a=b"};
    r.socketCalls = 3;
    r.put(AttributeKey.stringKey("lookout.body.request"), "{}");
    r.addEvent("exception", 1, Attributes.empty(), new RuntimeException("boom"));
    sink.submit(r);
    sink.exportNow(50);
    SpanRecord again = sink.span();
    assertThat(again).isSameAs(r);
    assertThat(again.path).isNull();
    assertThat(again.query).isNull();
    assertThat(again.requestHeaders).as("kept with the record, emptied").containsOnlyNulls();
    assertThat(again.socketCalls).isZero();
    assertThat(again.events()).isEmpty();
    assertThat(again.extra().isEmpty()).isTrue();
    assertThat(again.sampled).isTrue();

    SpanData s = spans.received.get(0);
    assertThat(s.getAttributes().get(SpanKeys.QUERY)).isEqualTo("token=***");
    assertThat(s.getAttributes().get(AttributeKey.stringArrayKey("http.request.header.cookie")))
        .containsExactly(Redactor.MASK);
    assertThat(s.getAttributes().get(SpanKeys.SOCKET_CALLS)).isEqualTo(3L);
    assertThat(s.getAttributes().get(AttributeKey.stringKey("lookout.body.request"))).isEqualTo("{}");
    assertThat(s.getEvents()).singleElement()
        .satisfies(e -> assertThat(e.getAttributes().get(ExceptionEvents.MESSAGE)).isEqualTo("boom"));
  }

  @Test
  void valuesThatRepeatOrChangeFromSpanToSpanComeOutAsEachRecordHadThem() {
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    String[][] cases = {
        // method, route, path, client, user agent, host header, secret header
        {"GET", "/orders/{id}", "/orders/1", "10.0.0.1", "curl/8", "shop:80", "a=1"},
        {"GET", "/orders/{id}", "/orders/1", "10.0.0.1", "curl/8", "shop:80", "a=2"},
        {"POST", "/orders/{id}", "/orders/2", "10.0.0.2", null, "shop:81", "a=1"},
        {"POST", null, "/orders/2", "10.0.0.2", "wget", "shop:81", "a=1"},
        {"GET", "/orders/{id}", "/orders/1", "10.0.0.1", "curl/8", "shop:80", "a=1"},
    };
    for (String[] c : cases) {
      SpanRecord r = sink.span();
      r.traceIdLow = TraceIds.newId();
      r.spanId = 5;
      r.method = new String(c[0]); // equal values, other instances: as containers make them
      r.route = c[1];
      r.path = c[2];
      r.clientAddress = c[3];
      r.userAgent = c[4];
      r.requestHeaders = c[5].endsWith("81")
          ? new String[] {"Host", c[5], "Accept", "a", "accept", "b", "Cookie", c[6]}
          : new String[] {"Host", c[5], "Cookie", c[6]};
      r.status = 200;
      sink.submit(r);
    }
    sink.exportNow(50);

    assertThat(spans.received).hasSize(cases.length);
    for (int i = 0; i < cases.length; i++) {
      String[] c = cases[i];
      SpanData s = spans.received.get(i);
      assertThat(s.getName()).isEqualTo(c[1] == null ? c[0] : c[0] + " " + c[1]);
      assertThat(s.getAttributes().get(SpanKeys.METHOD)).isEqualTo(c[0]);
      assertThat(s.getAttributes().get(SpanKeys.ROUTE)).isEqualTo(c[1]);
      assertThat(s.getAttributes().get(SpanKeys.PATH)).isEqualTo(c[2]);
      assertThat(s.getAttributes().get(SpanKeys.CLIENT_ADDRESS)).isEqualTo(c[3]);
      assertThat(s.getAttributes().get(SpanKeys.USER_AGENT)).isEqualTo(c[4]);
      assertThat(s.getAttributes().get(AttributeKey.stringArrayKey("http.request.header.host"))).containsExactly(c[5]);
      assertThat(s.getAttributes().get(AttributeKey.stringArrayKey("http.request.header.cookie")))
          .containsExactly(Redactor.MASK);
      assertThat(s.getAttributes().get(AttributeKey.stringArrayKey("http.request.header.accept")))
          .isEqualTo(c[5].endsWith("81") ? List.of("a", "b") : null);
    }
  }

  @Test
  void headersThatRepeatGrowShrinkOrChangeComeOutAsEachRecordHadThem() {
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    String date1 = "Mon, 07 Dec 2026 10:25:11 GMT";
    String date2 = "Mon, 07 Dec 2026 10:25:12 GMT";
    String[][] responses = {
        {"Server", "Jetty", "Date", date1, "Content-Length", "6"},
        {"Server", "Jetty", "Date", date1, "Content-Length", new String("6")}, // equal, another instance
        {"Server", "Jetty", "Date", date2, "Content-Length", "6"},
        {"Server", "Jetty", "Date", date2, "Content-Length", "6", "Set-Cookie", "s=1"},
        {"Server", "Jetty", "Date", date2, "Content-Length", "6", "Set-Cookie", "s=1", "set-cookie", "t=2"},
        {"Server", "Jetty", "Date", date2, null, null, "Content-Length", "7"}, // the pairs end at a null name
        {"Server", "Jetty", "Date", date2},
        {"server", "Jetty", "Date", date2},
        {"Server", "Jetty", "Date", date2, "Content-Length", "6"},
        {},
        {"Server", "Jetty", "Date", date2, "Content-Length", "6"},
    };
    for (String[] headers : responses) {
      SpanRecord r = sink.span();
      r.traceIdLow = TraceIds.newId();
      r.spanId = 5;
      r.method = "GET";
      r.path = "/";
      r.responseHeaders = headers.clone(); // a record empties its arrays when it goes back to the pool
      r.status = 200;
      sink.submit(r);
    }
    sink.exportNow(50);

    assertThat(spans.received).hasSize(responses.length);
    for (int i = 0; i < responses.length; i++) {
      Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
      String[] h = responses[i];
      for (int j = 0; j + 1 < h.length && h[j] != null; j += 2) {
        String name = h[j].toLowerCase(java.util.Locale.ROOT);
        expected.computeIfAbsent(name, k -> new java.util.ArrayList<>())
            .add(name.equals("set-cookie") ? Redactor.MASK : h[j + 1]);
      }
      Map<String, List<String>> got = new java.util.LinkedHashMap<>();
      spans.received.get(i).getAttributes().forEach((k, v) -> {
        if (k.getKey().startsWith("http.response.header.")) {
          @SuppressWarnings("unchecked")
          List<String> values = (List<String>) v;
          got.put(k.getKey().substring("http.response.header.".length()), values);
        }
      });
      assertThat(got).as("span %d", i).isEqualTo(expected);
    }
  }

  @Test
  void aRecordThatCannotBeEncodedIsDroppedAloneAndAHeaderWithoutValueIsEmpty() {
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    request(sink, "/before", 200);
    SpanRecord broken = sink.span();
    broken.traceIdLow = TraceIds.newId();
    broken.spanId = 6;
    broken.kind = SpanRecord.KIND_INTERNAL; // an internal span needs a name: this one has none
    sink.submit(broken);
    SpanRecord r = sink.span();
    r.traceIdLow = TraceIds.newId();
    r.spanId = 7;
    r.method = "GET";
    r.path = "/after";
    r.requestHeaders = new String[] {"X-Empty", null, "Host", "shop"};
    r.status = 200;
    sink.submit(r);
    sink.exportNow(50);

    assertThat(spans.received).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/before", "/after");
    Attributes after = spans.received.get(1).getAttributes();
    assertThat(after.get(AttributeKey.stringArrayKey("http.request.header.x-empty"))).containsExactly("");
    assertThat(after.get(AttributeKey.stringArrayKey("http.request.header.host"))).containsExactly("shop");
  }

  @Test
  void aLogRecordIsRedactedRenderedAndLinkedOnTheWayOut() {
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    LogEventRecord r = sink.log();
    r.epochMillis = 1_700_000_000_123L;
    r.level = 4;
    r.logger = "shop.Orders";
    r.message = "login für 🚀 with password=hunter2";
    r.threadName = "worker-1";
    r.thrown = new IllegalStateException("token=abc failed");
    r.source = LogEventRecord.SOURCE_LOG;
    r.traceIdHigh = 0x0102030405060708L;
    r.traceIdLow = 0x1112131415161718L;
    r.spanId = 0x2122232425262728L;
    sink.submit(r);
    sink.exportNow(50);

    LogRecordData l = logs.received.get(0);
    assertThat(l.getInstrumentationScopeInfo().getName()).isEqualTo("shop.Orders");
    assertThat(l.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("shop");
    assertThat(l.getTimestampEpochNanos()).isEqualTo(1_700_000_000_123_000_000L);
    assertThat(l.getSeverity()).isEqualTo(Severity.WARN);
    assertThat(l.getSeverityText()).isEqualTo("WARN");
    assertThat(l.getBodyValue().asString()).startsWith("login für 🚀 with password=").doesNotContain("hunter2");
    assertThat(l.getSpanContext().getTraceId()).isEqualTo("01020304050607081112131415161718");
    assertThat(l.getSpanContext().getSpanId()).isEqualTo("2122232425262728");
    assertThat(l.getAttributes().get(OtlpEncoder.THREAD_NAME)).isEqualTo("worker-1");
    assertThat(l.getAttributes().get(ExceptionEvents.TYPE)).isEqualTo(IllegalStateException.class.getName());
    assertThat(l.getAttributes().get(ExceptionEvents.MESSAGE)).doesNotContain("abc");
    assertThat(l.getAttributes().get(ExceptionEvents.STACKTRACE)).contains("RecordExporterTest").doesNotContain("abc");
    assertThat(l.getAttributes().get(OtlpEncoder.SOURCE)).isEqualTo("log");
    assertThat(sink.log()).isSameAs(r);
  }

  // ---- before the pipeline: the start-up buffer ----

  @Test
  void recordsHeldAtStartArriveInOrderAtTheHandOverAndLaterOnesPassStraightThrough() throws Exception {
    StartupBuffer early = new StartupBuffer(100, 1 << 20);
    assertThat(early.awaitFirstSpan(0)).isFalse();
    log(early, "starting");
    request(early, "/0", 200);
    assertThat(early.awaitFirstSpan(0)).isTrue();
    request(early, "/1", 404);

    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    sink.exportNow(50);
    assertThat(spans.received).isEmpty();
    early.handOver(sink);
    request(early, "/2", 200); // a request that began before the hand-over ends after it
    sink.exportNow(50);

    assertThat(spans.received).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/0", "/1", "/2");
    assertThat(spans.received.get(1).getAttributes().get(SpanKeys.STATUS)).isEqualTo(404L);
    assertThat(logs.received).singleElement()
        .satisfies(l -> assertThat(l.getBodyValue().asString()).isEqualTo("starting"));
  }

  @Test
  void theStartupBufferKeepsTheExportersBoundsAndItsDropsAreCounted() {
    StartupBuffer early = new StartupBuffer(2, 1 << 20);
    request(early, "/a", 200);
    log(early, "b");
    request(early, "/c", 200); // over the count
    log(early, "d");
    RecordExporter sink = exporter(100, 1 << 20, 1.0);
    early.handOver(sink);
    sink.exportNow(50);

    assertThat(spans.received).hasSize(1);
    assertThat(logs.received).hasSize(1);
    assertThat(dropped("traces")).isEqualTo(1);
    assertThat(dropped("logs")).isEqualTo(1);
  }

  @Test
  void startNowEndsTheWaitForTheFirstRequest() throws Exception {
    StartupBuffer early = new StartupBuffer(100, 1 << 20);
    early.startNow();
    assertThat(early.awaitFirstSpan(0)).isTrue();
  }

  @Test
  void noRecordIsLostWhileThreadsSubmitDuringTheHandOver() throws Exception {
    StartupBuffer early = new StartupBuffer(100_000, 64 << 20);
    java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    RecordExporter sink = RecordExporter.create((buffer, length, n) -> {
      received.addAndGet(n);
      return CompletableResultCode.ofSuccess();
    }, (buffer, length, n) -> CompletableResultCode.ofSuccess(), Attributes.empty(), redactor, 100_000, 64 << 20,
        meters.get("test"), 1.0);
    int threads = 4;
    int each = 5_000;
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          request(early, "/r", 200);
        }
      });
      th.start();
      submitters.add(th);
    }
    go.countDown();
    Thread.sleep(2);
    early.handOver(sink);
    for (Thread th : submitters) {
      th.join();
    }
    sink.exportNow(10_000);
    assertThat(received.get()).isEqualTo(threads * each);
    assertThat(dropped("traces")).isZero();
  }

  private static void log(RecordSink sink, String message) {
    LogEventRecord r = sink.log();
    r.epochMillis = System.currentTimeMillis();
    r.level = 3;
    r.logger = "test";
    r.message = message;
    r.threadName = "main";
    sink.submit(r);
  }

  private long dropped(String signal) {
    long n = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (m.getName().equals(BufferBudget.DROPPED)) {
        for (LongPointData p : m.getLongSumData().getPoints()) {
          if (signal.equals(p.getAttributes().get(AttributeKey.stringKey("signal")))) {
            n += p.getValue();
          }
        }
      }
    }
    return n;
  }
}
