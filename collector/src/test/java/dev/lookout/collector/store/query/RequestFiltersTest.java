package dev.lookout.collector.store.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import dev.lookout.collector.support.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request filters that have their own plans (status class and duration class indexes, the
 * stepwise text scan) give exactly the rows a plain test of every stored request gives, newest
 * first, across pages. Read back through the real HTTP API of a real collector, on each store.
 */
@ParameterizedClass
@EnumSource(Store.class)
class RequestFiltersTest {

  /** More than one text-scan step, so that a search crosses steps (and possibly partial pages). */
  private static final int REQUESTS = RequestStore.TEXT_SCAN_STEP + 1_500;
  private static final double[] DURATIONS = {0.2, 1, 1.5, 2, 4.99, 5, 19.9, 20, 150, 999.99, 1000, 1999.95, 2000, 2500,
      45_000, 60_000, 75_000};
  private static final int[] STATUSES = {200, 200, 200, 201, 302, 404, 404, 500, 503};

  @Parameter
  Store store;
  @TempDir
  static java.nio.file.Path dataDir;
  private static InProcessCollector collector;
  private static final Map<String, Sent> SENT = new HashMap<>();

  private record Sent(long start, double durationMs, int status, String path) {}

  @BeforeParameterizedClassInvocation
  static void store(Store store) throws Exception {
    SENT.clear();
    collector = new InProcessCollector(dataDir, store.freshArgs());
    long first = System.currentTimeMillis() - 3_600_000L;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      long start = first + i * 7L;
      double duration = DURATIONS[i % DURATIONS.length];
      int status = STATUSES[i % STATUSES.length];
      // the oldest request alone carries the needle, so a search for it must reach the table's end
      String path = i == 0 ? "/api/needle/1" : "/api/orders/" + i;
      Span span = Otlp.serverSpan(start, duration, "GET", path, status);
      SENT.put(HexFormat.of().formatHex(span.getSpanId().toByteArray()), new Sent(start, duration, status, path));
      spans.add(span);
      if (spans.size() == 1_000 || i == REQUESTS - 1) {
        assertThat(collector.post("/v1/traces", Otlp.traces("svc", spans).toByteArray(), "application/x-protobuf")
            .statusCode()).isEqualTo(200);
        spans.clear();
      }
    }
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    collector.close();
  }

  @Test
  void minimumDurationsAcrossClassBoundaries() throws Exception {
    for (double min : new double[] {0, 1, 1.5, 2, 5, 19.95, 20, 1999.95, 2000, 60_000, 70_000, 100_000}) {
      assertSameRows("minDurationMs=" + min, s -> s.durationMs() >= min);
    }
  }

  @Test
  void statusClassesAndExactStatuses() throws Exception {
    assertSameRows("status=5xx", s -> s.status() / 100 == 5);
    assertSameRows("status=4xx", s -> s.status() / 100 == 4);
    assertSameRows("status=404", s -> s.status() == 404);
    assertSameRows("status=503", s -> s.status() == 503);
    assertSameRows("status=5xx&minDurationMs=2000", s -> s.status() / 100 == 5 && s.durationMs() >= 2000);
  }

  @Test
  void textSearchReachesTheOldestRow() throws Exception {
    assertSameRows("q=needle", s -> s.path().contains("needle"));
    assertSameRows("q=" + enc("orders/12"), s -> s.path().contains("orders/12"));
  }

  @Test
  void pathGlobsAndRegexesMatchAsInTheLiveStream() throws Exception {
    assertSameRows("path=" + enc("/api/orders/1?"), s -> s.path().matches("/api/orders/1."));
    assertSameRows("path=" + enc("/api/orders/[12]*5"), s -> s.path().matches("/api/orders/[12].*5"));
    assertSameRows("path=" + enc("/api/needle/*"), s -> s.path().startsWith("/api/needle/"));
    assertSameRows("path=" + enc("/api/orders/12.5"), s -> false); // a dot is no wildcard in a glob
    assertSameRows("path=" + enc("regex:^/api/orders/\\d{2}$"), s -> s.path().matches("/api/orders/\\d{2}"));
    assertSameRows("path=" + enc("regex:needle|orders/99"), s -> s.path().contains("needle") || s.path().contains("orders/99"));
  }

  @Test
  void serviceMethodTimeRangeAndCaseInsensitiveText() throws Exception {
    assertSameRows("service=svc&method=get", s -> true);
    assertSameRows("service=other", s -> false);
    assertSameRows("method=POST", s -> false);
    long from = SENT.values().stream().mapToLong(Sent::start).min().orElseThrow() + 100 * 7L;
    long to = from + 250 * 7L;
    assertSameRows("from=" + from + "&to=" + to, s -> s.start() >= from && s.start() < to);
    assertSameRows("from=" + from + "&to=" + to + "&status=5xx", s -> s.start() >= from && s.start() < to
        && s.status() >= 500);
    assertSameRows("q=NEEDLE", s -> s.path().contains("needle"));
  }

  @Test
  void servicesCountTheirServerErrors() throws Exception {
    JsonNode svc = collector.get("/api/services").get("items").get(0);
    assertThat(svc.get("name").asText()).isEqualTo("svc");
    assertThat(svc.get("requests").asLong()).isEqualTo(REQUESTS);
    assertThat(svc.get("errors").asLong()).isEqualTo(SENT.values().stream().filter(s -> s.status() >= 500).count());
  }

  /** Pages through the query and compares with the rows sent that pass {@code expected}. */
  private static void assertSameRows(String query, Predicate<Sent> expected) throws Exception {
    List<String> found = new ArrayList<>();
    long previousStart = Long.MAX_VALUE;
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = collector.get("/api/requests?limit=1000&" + query + (cursor == null ? "" : "&cursor=" + enc(cursor)));
      for (JsonNode item : page.get("items")) {
        long start = item.get("startTime").asLong();
        assertThat(start).as(query + ": newest first").isLessThanOrEqualTo(previousStart);
        previousStart = start;
        found.add(item.get("spanId").asText());
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      assertThat(++pages).as(query + ": pages end").isLessThan(10_000);
    } while (cursor != null);
    Set<String> want = SENT.entrySet().stream().filter(e -> expected.test(e.getValue())).map(Map.Entry::getKey)
        .collect(Collectors.toSet());
    assertThat(found).as(query).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(want);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
