package dev.lookout.collector.api;

import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.StoredRecord;
import dev.lookout.collector.store.write.CommitListener;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RED metrics per service for Prometheus: requests, errors (status 5xx, as the overview counts
 * them) and a request duration histogram, counted from the requests ingest commits. They count
 * from this collector's start, so Prometheus sees a counter reset at a restart, as it expects.
 */
public final class RequestMetrics implements CommitListener {

  /** Upper bounds in seconds: Prometheus's usual HTTP buckets, +Inf added when written. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final Map<String, Service> services = new ConcurrentHashMap<>();

  /** One service's counts; the writer thread adds while a scrape reads. */
  private static final class Service {
    private long requests;
    private long errors;
    private double millis;
    private final long[] buckets = new long[BUCKETS.length];

    synchronized void add(RequestRecord r) {
      requests++;
      errors += r.status() >= 500 ? 1 : 0;
      millis += r.durationMs();
      double s = r.durationMs() / 1000;
      for (int i = 0; i < BUCKETS.length; i++) {
        if (s <= BUCKETS[i]) {
          buckets[i]++;
        }
      }
    }

    synchronized Service copy() {
      Service c = new Service();
      c.requests = requests;
      c.errors = errors;
      c.millis = millis;
      System.arraycopy(buckets, 0, c.buckets, 0, buckets.length);
      return c;
    }
  }

  /** Counts committed requests; called by the writer after each commit. */
  @Override
  public void committed(RecordKind kind, List<? extends StoredRecord> rows) {
    if (kind != RecordKind.REQUEST) {
      return;
    }
    for (StoredRecord r : rows) {
      RequestRecord request = (RequestRecord) r;
      services.computeIfAbsent(request.service(), s -> new Service()).add(request);
    }
  }

  /** The metrics in Prometheus's text format, services in name order. */
  void appendTo(StringBuilder out) {
    Map<String, Service> snapshot = new TreeMap<>();
    services.forEach((name, s) -> snapshot.put(name, s.copy()));
    PrometheusText.header(out, "lookout_http_server_requests_total", "counter", "HTTP requests served, per service");
    snapshot.forEach((name, s) -> sample(out, "lookout_http_server_requests_total", name, null, s.requests));
    PrometheusText.header(out, "lookout_http_server_errors_total", "counter", "HTTP requests answered with a 5xx status, per service");
    snapshot.forEach((name, s) -> sample(out, "lookout_http_server_errors_total", name, null, s.errors));
    String duration = "lookout_http_server_request_duration_seconds";
    PrometheusText.header(out, duration, "histogram", "Duration of HTTP requests, per service");
    snapshot.forEach((name, s) -> {
      for (int i = 0; i < BUCKETS.length; i++) {
        sample(out, duration + "_bucket", name, Double.toString(BUCKETS[i]), s.buckets[i]);
      }
      sample(out, duration + "_bucket", name, "+Inf", s.requests);
      sample(out, duration + "_sum", name, null, s.millis / 1000);
      sample(out, duration + "_count", name, null, s.requests);
    });
  }

  private static void sample(StringBuilder out, String name, String service, String le, double value) {
    out.append(name).append("{service=\"").append(labelValue(service)).append('"');
    if (le != null) {
      out.append(",le=\"").append(le).append('"');
    }
    out.append("} ").append(PrometheusText.number(value)).append('\n');
  }

  /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
  static String labelValue(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
