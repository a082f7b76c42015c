package dev.lookout.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/** The collector's JSON API as a test reads it: over HTTP, nothing shared with the collector's code. */
public final class LookoutApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public LookoutApi(String base) {
    this.base = base;
  }

  /** Status and parsed body of a GET. */
  public record Answer(int status, JsonNode body) {}

  public Answer get(String pathAndQuery) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery))
          .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
    } catch (Exception e) {
      throw new IllegalStateException("GET " + pathAndQuery + " failed", e);
    }
  }

  public List<JsonNode> requests(String query) {
    Answer a = get("/api/requests" + (query.isEmpty() ? "" : "?" + query));
    if (a.status() != 200) {
      throw new IllegalStateException("/api/requests?" + query + " answered " + a.status() + ": " + a.body());
    }
    List<JsonNode> items = new ArrayList<>();
    a.body().get("items").forEach(items::add);
    return items;
  }

  /** Polls {@code /api/requests?query} until an item satisfies {@code wanted}. */
  public JsonNode awaitRequest(String query, Predicate<JsonNode> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = requests(query);
      for (JsonNode item : last) {
        if (wanted.test(item)) {
          return item;
        }
      }
      ForkedProcess.sleep(50);
    }
    throw new AssertionError("no request matching within " + timeout + " for ?" + query + "; last answer: " + last);
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A live subscription: events are read on a background thread into a queue. */
  public LiveStream live(String query) {
    return new LiveStream(base + "/api/live" + (query.isEmpty() ? "" : "?" + query));
  }

  /** One server-sent event. */
  public record Event(String name, String data, long receivedNanos) {
    public JsonNode json() {
      try {
        return JSON.readTree(data);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A server-sent-events client, just enough of the protocol for tests. */
  public static final class LiveStream implements AutoCloseable {
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile boolean connected;

    LiveStream(String url) {
      reader = new Thread(() -> read(url), "sse-reader");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!connected && System.nanoTime() < deadline) {
        ForkedProcess.sleep(10);
      }
      if (!connected) {
        throw new IllegalStateException("live stream did not connect: " + url);
      }
    }

    private void read(String url) {
      try {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        body = r.body();
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        String name = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.startsWith(":")) {
            connected = true;
          } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).trim());
          } else if (line.isEmpty() && data.length() > 0) {
            events.add(new Event(name, data.toString(), System.nanoTime()));
            name = "message";
            data.setLength(0);
          }
        }
      } catch (Exception ignored) {
        // closed by the test
      }
    }

    /** The next event of that name satisfying the predicate, or an assertion failure after the timeout. */
    public Event await(String name, Predicate<JsonNode> wanted, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      long left;
      while ((left = deadline - System.nanoTime()) > 0) {
        Event e = events.poll(left, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (e != null && e.name().equals(name) && wanted.test(e.json())) {
          return e;
        }
      }
      throw new AssertionError("no '" + name + "' event within " + timeout);
    }

    @Override
    public void close() {
      try {
        if (body != null) {
          body.close();
        }
      } catch (Exception ignored) {
        // closing
      }
      reader.interrupt();
    }
  }
}
