package dev.lookout.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Server spans through the real OpenTelemetry SDK, read back as the exporter receives them. */
class ServerSpansTest {

  private final InMemorySpanExporter kept = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(kept)).build();
  private final ServerSpans spans = new ServerSpans(provider.get("test"),
      new Redactor(Redactor.DEFAULT_HEADERS, Redactor.DEFAULT_PARAMS), PathFilter.parse(null));

  @AfterEach
  void close() {
    provider.shutdown();
  }

  private static List<String> header(Attributes a, String name) {
    return a.get(AttributeKey.stringArrayKey(name));
  }

  @Test
  void headersAreGroupedByLowerCaseNameInOrderAndSecretsMasked() {
    Object h = spans.start("GET", "http", "localhost", 8080, "/orders", "id=1&token=abc", "127.0.0.1", null, "curl/8",
        new String[] {"Accept", "text/html", "Cookie", "session=s3cret", "accept", "application/json",
            "X-Api-Key", "k3y", "Host", "localhost:8080"});
    spans.end(h, 200, null, "/orders", new String[] {"Content-Type", "text/plain", "Set-Cookie", "a=1",
        "Set-Cookie", "b=2"});

    assertThat(kept.getFinishedSpanItems()).hasSize(1);
    Attributes a = kept.getFinishedSpanItems().get(0).getAttributes();
    assertThat(header(a, "http.request.header.accept")).containsExactly("text/html", "application/json");
    assertThat(header(a, "http.request.header.cookie")).containsExactly(Redactor.MASK);
    assertThat(header(a, "http.request.header.x-api-key")).containsExactly(Redactor.MASK);
    assertThat(header(a, "http.request.header.host")).containsExactly("localhost:8080");
    assertThat(header(a, "http.response.header.content-type")).containsExactly("text/plain");
    assertThat(header(a, "http.response.header.set-cookie")).containsExactly(Redactor.MASK, Redactor.MASK);
    assertThat(a.get(ServerSpans.QUERY)).isEqualTo("id=1&token=***");
    assertThat(a.get(ServerSpans.USER_AGENT)).isEqualTo("curl/8");
    assertThat(a.get(ServerSpans.ROUTE)).isEqualTo("/orders");
    assertThat(a.get(ServerSpans.STATUS)).isEqualTo(200L);
    assertThat(kept.getFinishedSpanItems().get(0).getName()).isEqualTo("GET /orders");
    assertThat(a.asMap().toString()).doesNotContain("s3cret", "k3y", "a=1", "abc");
  }

  @Test
  void zeroCountsAreLeftOutAndNonZeroOnesKept() {
    Object quiet = spans.start("GET", "http", "localhost", 8080, "/a", null, "127.0.0.1", null, null, null);
    spans.end(quiet, 200, null, null, null);
    Object noisy = spans.start("GET", "http", "localhost", 8080, "/b", null, "127.0.0.1", null, null, null);
    ServerSpans.countLog(null);
    ServerSpans.countLog(new IllegalStateException("logged"));
    spans.end(noisy, 200, null, null, null);

    assertThat(kept.getFinishedSpanItems()).hasSize(2);
    Attributes first = kept.getFinishedSpanItems().get(0).getAttributes();
    assertThat(first.get(ServerSpans.LOG_COUNT)).isNull();
    assertThat(first.get(ServerSpans.EXCEPTION_COUNT)).isNull();
    Attributes second = kept.getFinishedSpanItems().get(1).getAttributes();
    assertThat(second.get(ServerSpans.LOG_COUNT)).isEqualTo(2L);
    assertThat(second.get(ServerSpans.EXCEPTION_COUNT)).isEqualTo(1L);
  }

  @Test
  void aThrownExceptionIsCountedAndMakesA500() {
    Object h = spans.start("POST", "http", "localhost", 8080, "/c", null, "127.0.0.1", null, null, null);
    spans.end(h, 200, new IllegalArgumentException("bad"), null, null);

    SpanData span = kept.getFinishedSpanItems().get(0);
    assertThat(span.getAttributes().get(ServerSpans.STATUS)).isEqualTo(500L);
    assertThat(span.getAttributes().get(ServerSpans.EXCEPTION_COUNT)).isEqualTo(1L);
    assertThat(span.getAttributes().get(ServerSpans.ERROR_TYPE)).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
  }
}
