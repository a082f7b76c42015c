package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.trace.ServerSpans;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** lookout.sample.ratio through the real SDK, with the agent's own trace ids: errors always kept. */
class SamplingSpanProcessorTest {

  private static final int EACH = 2000;

  @Test
  void aRatioKeepsThatShareOfOrdinaryRequestsAndEveryError() {
    List<SpanData> kept = run(0.25);
    long ordinary = kept.stream().filter(s -> s.getAttributes().get(ServerSpans.ERROR_TYPE) == null).count();
    long errors = kept.size() - ordinary;
    assertThat(errors).isEqualTo(EACH);
    // 2000 draws at p = 0.25: mean 500, standard deviation ~19; ±150 is nearly 8 of them.
    assertThat(ordinary).isBetween(350L, 650L);
  }

  @Test
  void zeroKeepsOnlyErrorsAndOneKeepsEverything() {
    assertThat(run(0.0)).hasSize(EACH).allSatisfy(s -> assertThat(s.getAttributes().get(ServerSpans.ERROR_TYPE))
        .isEqualTo("500"));
    assertThat(run(1.0)).hasSize(2 * EACH);
  }

  private static List<SpanData> run(double ratio) {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setIdGenerator(new TimeOrderedIds())
        .addSpanProcessor(new SamplingSpanProcessor(SimpleSpanProcessor.create(exported), ratio))
        .build();
    try {
      Tracer tracer = provider.get("test");
      for (int i = 0; i < EACH; i++) {
        tracer.spanBuilder("GET /ok").setSpanKind(SpanKind.SERVER).startSpan().end();
        Span failed = tracer.spanBuilder("GET /boom").setSpanKind(SpanKind.SERVER).startSpan();
        failed.setAttribute(ServerSpans.ERROR_TYPE, "500");
        failed.end();
      }
      return List.copyOf(exported.getFinishedSpanItems());
    } finally {
      provider.shutdown();
    }
  }
}
