package dev.lookout.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.bootstrap.HeaderPairs;
import dev.lookout.agent.record.LogEventRecord;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.support.Exported;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server spans through the agent's record exporter, read back as the OTLP exporter receives them. */
class ServerSpansTest {

  private final Exported exported = new Exported();
  private final ServerSpans spans = new ServerSpans(exported.sink, PathFilter.parse(null));

  /** This thread's header scratch holding {@code pairs}, as the servlet helper hands it to the hooks. */
  private static HeaderPairs headers(String... pairs) {
    HeaderPairs scratch = HeaderPairs.forThread();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      scratch.add(pairs[i], pairs[i + 1]);
    }
    return scratch;
  }

  private static List<String> header(Attributes a, String name) {
    return a.get(AttributeKey.stringArrayKey(name));
  }

  @Test
  void aNewTraceIdStartsWithTheEpochSecondOfItsSpansStart() {
    // the collector finds a trace through its time index by this second (collector's TraceIds)
    Object h = spans.start("GET", "http", "localhost", 8080, "/t", null, "127.0.0.1", null, null, null);
    spans.end(h, 200, null, null, null);

    SpanData span = exported.spans().get(0);
    assertThat(Long.parseLong(span.getTraceId().substring(0, 8), 16))
        .isEqualTo(span.getStartEpochNanos() / 1_000_000_000L);
  }

  @Test
  void headersAreGroupedByLowerCaseNameInOrderAndSecretsMasked() {
    Object h = spans.start("GET", "http", "localhost", 8080, "/orders", "id=1&token=abc", "127.0.0.1", null, "curl/8",
        headers("Accept", "text/html", "Cookie", "session=s3cret", "accept", "application/json",
            "X-Api-Key", "k3y", "Host", "localhost:8080"));
    spans.end(h, 200, null, "/orders", headers("Content-Type", "text/plain", "Set-Cookie", "a=1",
        "Set-Cookie", "b=2"));

    assertThat(exported.spans()).hasSize(1);
    Attributes a = exported.spans().get(0).getAttributes();
    assertThat(header(a, "http.request.header.accept")).containsExactly("text/html", "application/json");
    assertThat(header(a, "http.request.header.cookie")).containsExactly(Redactor.MASK);
    assertThat(header(a, "http.request.header.x-api-key")).containsExactly(Redactor.MASK);
    assertThat(header(a, "http.request.header.host")).containsExactly("localhost:8080");
    assertThat(header(a, "http.response.header.content-type")).containsExactly("text/plain");
    assertThat(header(a, "http.response.header.set-cookie")).containsExactly(Redactor.MASK, Redactor.MASK);
    assertThat(a.get(SpanKeys.QUERY)).isEqualTo("id=1&token=***");
    assertThat(a.get(SpanKeys.USER_AGENT)).isEqualTo("curl/8");
    assertThat(a.get(SpanKeys.ROUTE)).isEqualTo("/orders");
    assertThat(a.get(SpanKeys.STATUS)).isEqualTo(200L);
    assertThat(exported.spans().get(0).getName()).isEqualTo("GET /orders");
    assertThat(a.asMap().toString()).doesNotContain("s3cret", "k3y", "a=1", "abc");
  }

  @Test
  void headersAreTakenFromTheCallersScratchWhichGoesOnEmptyAndAReusedRecordForgetsThem() {
    HeaderPairs scratch = headers("Accept", "text/html", "X-Long", "one");
    Object h = spans.start("GET", "http", "localhost", 8080, "/a", null, "127.0.0.1", null, null, scratch);
    assertThat(scratch.size()).isZero();
    scratch.clear(); // as the advice does once the hook returned, then reuses the scratch at once
    scratch.add("X-Reused", "reused");
    HeaderPairs response = headers("Content-Type", "text/plain");
    spans.end(h, 200, null, null, response);
    response.clear();
    response.add("X-Reused", "reused");
    assertThat(exported.spans()).hasSize(1); // exported: its record is back in the pool

    Object next = spans.start("GET", "http", "localhost", 8080, "/b", null, "127.0.0.1", null, null,
        headers("Accept", "*/*"));
    spans.end(next, 200, null, null, null);

    List<SpanData> all = exported.spans();
    assertThat(all).hasSize(2);
    Attributes first = all.get(0).getAttributes();
    assertThat(header(first, "http.request.header.accept")).containsExactly("text/html");
    assertThat(header(first, "http.request.header.x-long")).containsExactly("one");
    assertThat(header(first, "http.response.header.content-type")).containsExactly("text/plain");
    Attributes second = all.get(1).getAttributes();
    assertThat(header(second, "http.request.header.accept")).containsExactly("*/*");
    assertThat(header(second, "http.request.header.x-long")).as("left by the record's earlier request").isNull();
    assertThat(header(second, "http.response.header.content-type")).isNull();
    assertThat(first.asMap().toString() + second.asMap()).doesNotContain("reused");
  }

  @Test
  void zeroCountsAreLeftOutAndNonZeroOnesKept() {
    Object quiet = spans.start("GET", "http", "localhost", 8080, "/a", null, "127.0.0.1", null, null, null);
    spans.end(quiet, 200, null, null, null);
    Object noisy = spans.start("GET", "http", "localhost", 8080, "/b", null, "127.0.0.1", null, null, null);
    ServerSpans.countLog(null, new dev.lookout.agent.record.LogEventRecord());
    ServerSpans.countLog(new IllegalStateException("logged"), new dev.lookout.agent.record.LogEventRecord());
    spans.end(noisy, 200, null, null, null);

    assertThat(exported.spans()).hasSize(2);
    Attributes first = exported.spans().get(0).getAttributes();
    assertThat(first.get(SpanKeys.LOG_COUNT)).isNull();
    assertThat(first.get(SpanKeys.EXCEPTION_COUNT)).isNull();
    Attributes second = exported.spans().get(1).getAttributes();
    assertThat(second.get(SpanKeys.LOG_COUNT)).isEqualTo(2L);
    assertThat(second.get(SpanKeys.EXCEPTION_COUNT)).isEqualTo(1L);
  }

  @Test
  void aThrownExceptionIsCountedAndMakesA500() {
    Object h = spans.start("POST", "http", "localhost", 8080, "/c", null, "127.0.0.1", null, null, null);
    spans.end(h, 200, new IllegalArgumentException("bad"), null, null);

    SpanData span = exported.spans().get(0);
    assertThat(span.getAttributes().get(SpanKeys.STATUS)).isEqualTo(500L);
    assertThat(span.getAttributes().get(SpanKeys.EXCEPTION_COUNT)).isEqualTo(1L);
    assertThat(span.getAttributes().get(SpanKeys.ERROR_TYPE)).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(span.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("exception");
      assertThat(e.getAttributes().get(ExceptionEvents.TYPE)).isEqualTo(IllegalArgumentException.class.getName());
      assertThat(e.getAttributes().get(ExceptionEvents.STACKTRACE)).contains("ServerSpansTest");
    });
  }

  @Test
  void anIncomingTraceparentMakesTheSpanAChildOfTheRemoteParent() {
    Object h = spans.start("GET", "http", "localhost", 8080, "/d", null, "127.0.0.1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null, null);
    assertThat(ServerSpans.currentTraceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    String spanId = ServerSpans.currentSpanIdHex();
    spans.end(h, 204, null, null, null);

    SpanData span = exported.spans().get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(span.getSpanId()).isEqualTo(spanId).hasSize(16).isNotEqualTo("0000000000000000");
    assertThat(span.getParentSpanContext().isRemote()).isTrue();
    assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getEndEpochNanos()).isGreaterThanOrEqualTo(span.getStartEpochNanos());
    assertThat(span.getStartEpochNanos() / 1_000_000).isCloseTo(System.currentTimeMillis(),
        org.assertj.core.data.Offset.offset(60_000L));
    assertThat(ServerSpans.currentTraceIdHex()).isNull();
  }

  @Test
  void anUnsampledParentIsPropagatedButNotExportedAndAMalformedOneStartsANewTrace() {
    Object unsampled = spans.start("GET", "http", "localhost", 8080, "/e", null, "127.0.0.1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", null, null);
    assertThat(ServerSpans.currentTraceIdHex()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    spans.end(unsampled, 200, null, null, null);
    Object malformed = spans.start("GET", "http", "localhost", 8080, "/f", null, "127.0.0.1",
        "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01", null, null);
    spans.end(malformed, 200, null, null, null);

    List<SpanData> all = exported.spans();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).getTraceId()).isNotEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(all.get(0).getParentSpanContext().isValid()).isFalse();
    // the first 32 bits of a new trace id are the second it was made in
    long second = Long.parseLong(all.get(0).getTraceId().substring(0, 8), 16);
    assertThat(second).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
  }

  @Test
  void aServerErrorWithoutExceptionIsAnErrorSpanTypedByItsStatus() {
    Object h = spans.start("GET", "http", "localhost", 8080, "/g", null, "127.0.0.1", null, null, null);
    spans.end(h, 503, null, null, null);
    SpanData span = exported.spans().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(SpanKeys.ERROR_TYPE)).isEqualTo("503");
    assertThat(span.getName()).isEqualTo("GET");
  }

  @Test
  void aSecondEndOfTheSameRequestChangesNothing() {
    Object first = spans.start("GET", "http", "localhost", 8080, "/h", null, "127.0.0.1", null, null, null);
    spans.end(first, 200, null, null, null);
    assertThat(exported.spans()).hasSize(1); // exported: its record is back in the pool
    Object second = spans.start("GET", "http", "localhost", 8080, "/i", null, "127.0.0.1", null, null, null);
    spans.end(first, 500, null, null, null); // late: the first record now serves the second request
    spans.complete(first, 500);
    spans.end(second, 201, null, null, null);
    List<SpanData> all = exported.spans();
    assertThat(all).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/h", "/i");
    assertThat(all).extracting(s -> s.getAttributes().get(SpanKeys.STATUS)).containsExactly(200L, 201L);
  }

  /** Records as the hooks submit them, never recycled: what a request thread handed over, as it is. */
  private static final class KeptRecords implements RecordSink {
    final List<SpanRecord> submitted = new java.util.ArrayList<>();

    @Override
    public SpanRecord span() {
      SpanRecord r = new SpanRecord();
      r.reset();
      return r;
    }

    @Override
    public LogEventRecord log() {
      return new LogEventRecord();
    }

    @Override
    public void submit(SpanRecord span) {
      submitted.add(span);
    }

    @Override
    public void submit(LogEventRecord log) {}

    @Override
    public void discard(SpanRecord span) {}

    @Override
    public long epochNanos() {
      return System.nanoTime();
    }
  }

  /** Equal to {@code s}, not the same instance: what a container makes anew for each request. */
  private static String anew(String s) {
    return new String(s.toCharArray());
  }

  @Test
  void aRequestCarriesTheSameStringsAsTheThreadsLastWhereTheyAreEqual() {
    // the export thread then finds the instance it compared last time: no read of a string made ~10 ms before
    KeptRecords kept = new KeptRecords();
    ServerSpans hooks = new ServerSpans(kept, PathFilter.parse(null));
    for (int i = 0; i < 2; i++) {
      Object h = hooks.start("GET", "http", anew("example.org"), 80, anew("/orders"), null, anew("10.0.0.7"), null,
          anew("curl/8"), headers("Host", anew("example.org")));
      hooks.end(h, 200, null, null, headers("Content-Length", anew(i == 0 ? "6" : "7")));
    }
    Object h = hooks.start("GET", "http", anew("example.org"), 80, anew("/other"), null, anew("10.0.0.7"), null,
        null, null);
    hooks.end(h, 200, null, null, null);

    SpanRecord first = kept.submitted.get(0);
    SpanRecord second = kept.submitted.get(1);
    SpanRecord third = kept.submitted.get(2);
    assertThat(second.serverAddress).isSameAs(first.serverAddress);
    assertThat(second.path).isSameAs(first.path);
    assertThat(second.clientAddress).isSameAs(first.clientAddress);
    assertThat(second.userAgent).isSameAs(first.userAgent);
    assertThat(second.requestHeaders[1]).isSameAs(first.requestHeaders[1]);
    assertThat(second.responseHeaders[1]).isEqualTo("7").isNotSameAs(first.responseHeaders[1]);
    assertThat(third.path).isEqualTo("/other");
    assertThat(third.clientAddress).isSameAs(first.clientAddress);
  }
}

