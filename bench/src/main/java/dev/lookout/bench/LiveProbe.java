package dev.lookout.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a request takes from its export to its event on {@code /api/live}, during ingest at
 * full speed. The subscriber asks for {@code status=5xx} only (the server filters), so that one
 * SSE client keeps up with a few percent of the traffic instead of being told it skipped events;
 * the senders note when they post a batch holding such a request.
 */
final class LiveProbe implements AutoCloseable {

  private static final Pattern TRACE_ID = Pattern.compile("\"traceId\"\\s*:\\s*\"([0-9a-f]{32})\"");

  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final List<Double> latenciesMs = Collections.synchronizedList(new ArrayList<>());
  private final InputStream stream;
  private final Thread reader;
  private volatile int skippedEvents;

  LiveProbe(HttpClient http, String api) throws IOException, InterruptedException {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/live?kinds=request&status=5xx"))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("/api/live answered " + response.statusCode());
    }
    stream = response.body();
    reader = new Thread(this::read, "live-probe");
    reader.setDaemon(true);
    reader.start();
  }

  /** A batch holding the request with this trace id is being posted now. */
  void sent(String traceId) {
    sentAt.put(traceId, System.nanoTime());
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        long now = System.nanoTime();
        if (line.startsWith("event:") && line.contains("skipped")) {
          skippedEvents++;
        }
        if (!line.startsWith("data:")) {
          continue;
        }
        Matcher m = TRACE_ID.matcher(line);
        if (m.find()) {
          Long sent = sentAt.remove(m.group(1));
          if (sent != null) {
            latenciesMs.add((now - sent) / 1e6);
          }
        }
      }
    } catch (IOException e) {
      // closed at the end of the phase
    }
  }

  /** Latencies seen, requests noted but never seen, and "skipped" events, as one line of text. */
  String summary() {
    List<Double> sorted;
    synchronized (latenciesMs) {
      sorted = new ArrayList<>(latenciesMs);
    }
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "no request reached /api/live (" + sentAt.size() + " noted)";
    }
    return String.format(java.util.Locale.ROOT, "export → /api/live: %d requests, p50 %.0f ms, p95 %.0f ms, max %.0f ms;"
        + " %d noted but not seen, %d skipped-events notices", sorted.size(), at(sorted, 0.50), at(sorted, 0.95),
        sorted.get(sorted.size() - 1), sentAt.size(), skippedEvents);
  }

  private static double at(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  @Override
  public void close() {
    try {
      stream.close();
    } catch (IOException ignored) {
      // the reader ends either way
    }
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
