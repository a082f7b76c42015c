package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared bound on what waits for the collector: records and bytes, taken at the end, given back on the answer. */
class BufferBudgetTest {

  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(metrics).build();

  /** An exporter whose answers the test gives. */
  static final class HeldExporter implements SpanExporter {
    final List<SpanData> received = new ArrayList<>();
    final List<CompletableResultCode> answers = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<SpanData> spans) {
      received.addAll(spans);
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

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void recordsOverTheCountAreDroppedUntilAnExportIsAnsweredEvenAFailedOne() {
    BufferBudget budget = new BufferBudget(3, 1 << 20, meters.get("test"));
    HeldExporter exporter = new HeldExporter();
    Tracer tracer = tracer(budget, exporter);
    for (int i = 0; i < 5; i++) {
      tracer.spanBuilder("GET").startSpan().end();
    }
    assertThat(exporter.received).hasSize(3);
    assertThat(budget.records()).isEqualTo(3);
    assertThat(dropped()).isEqualTo(2);

    exporter.answerAll(false);
    assertThat(budget.records()).isZero();
    assertThat(budget.bytes()).isZero();
    tracer.spanBuilder("GET").startSpan().end();
    assertThat(exporter.received).hasSize(4);
  }

  @Test
  void aRecordOverTheBytesIsDroppedAndSmallOnesStillGo() {
    BufferBudget budget = new BufferBudget(100, 64 * 1024, meters.get("test"));
    HeldExporter exporter = new HeldExporter();
    Tracer tracer = tracer(budget, exporter);
    Span big = tracer.spanBuilder("GET").startSpan();
    big.recordException(new IllegalStateException("x".repeat(100_000)));
    big.end();
    tracer.spanBuilder("GET").setAttribute("url.path", "/plain").startSpan().end();

    assertThat(exporter.received).singleElement().satisfies(s -> {
      assertThat(s.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/plain");
      assertThat(s).isInstanceOf(BufferBudget.QueuedSpan.class);
    });
    assertThat(dropped()).isEqualTo(1);
    assertThat(budget.bytes()).isBetween(300L, 64 * 1024L);
    exporter.answerAll(true);
    assertThat(budget.bytes()).isZero();
  }

  @Test
  void aQueuedSpanKeepsItsExportFormButNotTheLiveSpan() throws Exception {
    BufferBudget budget = new BufferBudget(100, 1 << 20, meters.get("test"));
    HeldExporter exporter = new HeldExporter();
    WeakReference<Span> live = endedSpan(tracer(budget, exporter));
    for (int i = 0; i < 20 && live.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(live.get()).as("the live span, unreachable while its export form waits").isNull();
    assertThat(exporter.received).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo("GET /items/{id}");
      assertThat(s.getKind()).isEqualTo(SpanKind.SERVER);
      assertThat(s.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
      assertThat(s.getEvents()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("exception"));
      assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(s.getEndEpochNanos()).isGreaterThanOrEqualTo(s.getStartEpochNanos());
      assertThat(s.getInstrumentationScopeInfo().getName()).isEqualTo("test");
    });
  }

  private static WeakReference<Span> endedSpan(Tracer tracer) {
    Span span = tracer.spanBuilder("GET /items/{id}").setSpanKind(SpanKind.SERVER)
        .setAttribute("http.response.status_code", 500L).startSpan();
    span.addEvent("exception").setStatus(StatusCode.ERROR).end();
    return new WeakReference<>(span);
  }

  @Test
  void spansAndLogRecordsShareTheCount() {
    BufferBudget budget = new BufferBudget(2, 1 << 20, meters.get("test"));
    HeldExporter spans = new HeldExporter();
    List<LogRecordData> logs = new ArrayList<>();
    SdkLoggerProvider loggers = SdkLoggerProvider.builder()
        .addLogRecordProcessor(budget.logs(SimpleLogRecordProcessor.create(budget.logs(new LogRecordExporter() {
          @Override
          public CompletableResultCode export(Collection<LogRecordData> records) {
            logs.addAll(records);
            return new CompletableResultCode(); // never answered: the room stays taken
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        })))).build();
    loggers.get("test").logRecordBuilder().setBody("first").setAllAttributes(Attributes.of(
        AttributeKey.stringKey("k"), "v")).emit();
    tracer(budget, spans).spanBuilder("GET").startSpan().end();
    loggers.get("test").logRecordBuilder().setBody("third").emit();

    assertThat(logs).singleElement().satisfies(l -> {
      assertThat(l.getBodyValue().asString()).isEqualTo("first");
      assertThat(l.getAttributes().get(AttributeKey.stringKey("k"))).isEqualTo("v");
    });
    assertThat(spans.received).hasSize(1);
    assertThat(dropped()).isEqualTo(1);
  }

  private Tracer tracer(BufferBudget budget, SpanExporter exporter) {
    return SdkTracerProvider.builder()
        .addSpanProcessor(budget.spans(SimpleSpanProcessor.create(budget.spans(exporter))))
        .build().get("test");
  }

  private long dropped() {
    long n = 0;
    for (MetricData m : metrics.collectAllMetrics()) {
      if (m.getName().equals(BufferBudget.DROPPED)) {
        for (LongPointData p : m.getLongSumData().getPoints()) {
          n += p.getValue();
        }
      }
    }
    return n;
  }
}
