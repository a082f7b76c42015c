package dev.lookout.it.ui;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hand-written OTLP/JSON for records a sample application cannot produce — request paths and
 * log messages carrying markup — posted to the real collector's ingest port.
 */
final class OtlpJson {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OtlpJson() {}

  static String hex(int bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      sb.append(String.format("%02x", ThreadLocalRandom.current().nextInt(256)));
    }
    return sb.toString();
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static String attr(String key, String value) {
    return "{\"key\":" + str(key) + ",\"value\":{\"stringValue\":" + str(value) + "}}";
  }

  private static String resource(String service) {
    return "\"resource\":{\"attributes\":[" + attr("service.name", service) + "]}";
  }

  /** One SERVER span of a GET request. */
  static void request(String otlpUrl, String service, String traceId, String spanId, String path, int status,
      long startMs, long durationMs) {
    String span = "{\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\",\"name\":\"GET\",\"kind\":2,"
        + "\"startTimeUnixNano\":\"" + startMs * 1_000_000 + "\",\"endTimeUnixNano\":\"" + (startMs + durationMs) * 1_000_000 + "\","
        + "\"attributes\":[" + attr("http.request.method", "GET") + "," + attr("url.path", path) + ","
        + "{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":\"" + status + "\"}},"
        + "{\"key\":\"lookout.log_count\",\"value\":{\"intValue\":\"1\"}}]}";
    post(otlpUrl + "/v1/traces", "{\"resourceSpans\":[{" + resource(service) + ",\"scopeSpans\":[{\"spans\":[" + span + "]}]}]}");
  }

  /** One log record inside that request. */
  static void log(String otlpUrl, String service, String traceId, String spanId, String level, String message,
      long timeMs) {
    int severity = switch (level) {
      case "ERROR" -> 17;
      case "WARN" -> 13;
      default -> 9;
    };
    String record = "{\"timeUnixNano\":\"" + timeMs * 1_000_000 + "\",\"severityNumber\":" + severity
        + ",\"severityText\":\"" + level + "\",\"body\":{\"stringValue\":" + str(message) + "},"
        + "\"traceId\":\"" + traceId + "\",\"spanId\":\"" + spanId + "\"}";
    post(otlpUrl + "/v1/logs", "{\"resourceLogs\":[{" + resource(service) + ",\"scopeLogs\":[{\"scope\":{\"name\":\"xss.logger\"},"
        + "\"logRecords\":[" + record + "]}]}]}");
  }

  private static void post(String url, String json) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("POST " + url + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
