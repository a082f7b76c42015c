package dev.lookout.collector.api;

import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.query.RowExtents;
import dev.lookout.collector.store.write.RequestRollups;
import dev.lookout.collector.store.write.StoreWriter;
import dev.lookout.collector.ingest.AgentHealth;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.retention.RetentionWorker;
import dev.lookout.collector.store.RecordKind;
import io.javalin.config.JavalinConfig;
import java.util.function.Consumer;

/** {@code /api/stats} (storage against its rules) and {@code /api/overview} (charts from the rollups). */
public final class InsightRoutes {

  private static final long HOUR_MS = 3_600_000;

  private InsightRoutes() {}

  public static Consumer<JavalinConfig> of(Database database, StoreWriter writer, RetentionWorker retention,
      AgentHealth health, LiveHub live, RequestMetrics requests) {
    RowExtents extents = new RowExtents(database);
    return config -> {
      config.routes.get("/metrics", ctx -> {
        StringBuilder out = new StringBuilder(2048);
        PrometheusText.metric(out, "lookout_ingest_rows_total", "counter", "Rows committed by ingest", writer.rowsWritten());
        PrometheusText.metric(out, "lookout_ingest_commits_total", "counter", "Ingest transactions committed", writer.commits());
        PrometheusText.metric(out, "lookout_ingest_commit_seconds_total", "counter", "Time spent committing ingest transactions",
            writer.commitNanos() / 1e9);
        PrometheusText.metric(out, "lookout_ingest_queue_depth", "gauge", "Batches waiting for the writer", writer.queueDepth());
        PrometheusText.header(out, "lookout_retention_deleted_total", "counter", "Rows removed by retention rules");
        for (RecordKind s : RecordKind.values()) {
          out.append("lookout_retention_deleted_total{signal=\"").append(s.signal()).append("\"} ")
              .append(retention.deleted(s)).append('\n');
        }
        PrometheusText.metric(out, "lookout_db_size_bytes", "gauge", "Database on disk: the SQLite file and its log, or Lookout's PostgreSQL tables and indexes", database.diskBytes());
        PrometheusText.metric(out, "lookout_db_max_size_bytes", "gauge", "The storage cap (--max-db-size)", retention.maxBytes());
        PrometheusText.metric(out, "lookout_agent_dropped_total", "counter", "Records agents reported they dropped", health.dropped());
        PrometheusText.metric(out, "lookout_live_subscribers", "gauge", "Open live streams", live.subscriberCount());
        PrometheusText.metric(out, "lookout_storage_failing", "gauge", "1 while commits fail for disk trouble (full, read-only, I/O)",
            database.health().trouble() == null ? 0 : 1);
        PrometheusText.metric(out, "lookout_storage_failed_commits_total", "counter", "Commits refused for disk trouble",
            database.health().failedCommits());
        requests.appendTo(out);
        JvmMemory.appendMetrics(out);
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(out.toString());
      });
      config.routes.get("/api/stats", ctx -> {
        ObjectNode body = Json.object();
        ObjectNode rows = body.putObject("rows");
        ObjectNode oldest = body.putObject("oldest");
        ObjectNode retentionMs = body.putObject("retentionMs");
        ObjectNode maxRows = body.putObject("maxRows");
        ObjectNode deleted = body.putObject("retentionDeleted");
        for (RecordKind s : RecordKind.values()) {
          RowExtents.Extent extent = extents.exact(s);
          rows.put(s.signal(), extent.rows());
          if (extent.oldest() < 0) {
            oldest.putNull(s.signal());
          } else {
            oldest.put(s.signal(), extent.oldest());
          }
          putOrNull(retentionMs, s.signal(), retention.rules().maxAgeMs(s));
          putOrNull(maxRows, s.signal(), retention.rules().maxRows(s));
          deleted.put(s.signal(), retention.deleted(s));
        }
        body.put("dbSizeBytes", database.diskBytes());
        body.put("maxDbSizeBytes", retention.maxBytes());
        body.put("agentDrops", health.dropped());
        body.set("storage", StorageRoutes.describe(database.health()));
        ObjectNode ingest = body.putObject("ingest");
        ingest.put("rowsWritten", writer.rowsWritten());
        ingest.put("queueDepth", writer.queueDepth());
        ApiServer.json(ctx, body);
      });
      config.routes.get("/api/overview", ctx -> {
        Long[] range = QueryParams.timeRange(ctx);
        long to = range[1] != null ? range[1] : System.currentTimeMillis();
        long from = range[0] != null ? range[0] : to - HOUR_MS;
        String b = QueryParams.text(ctx, "buckets");
        int buckets;
        try {
          buckets = b == null ? 60 : Integer.parseInt(b);
        } catch (NumberFormatException e) {
          throw new BadRequestException("bad parameter 'buckets': not a whole number: '" + b + "'");
        }
        if (buckets < 1 || buckets > 1440) {
          throw new BadRequestException("bad parameter 'buckets': must be between 1 and 1440");
        }
        RequestRollups.Overview o = RequestRollups.overview(database, QueryParams.text(ctx, "service"), from, to,
            buckets);
        ObjectNode body = Json.object();
        ArrayNode series = body.putArray("series");
        o.series().forEach(p -> series.addObject().put("time", p.time()).put("requests", p.requests())
            .put("errors", p.errors()).put("p50", p.p50()).put("p95", p.p95()).put("p99", p.p99()));
        ArrayNode slow = body.putArray("slowRoutes");
        o.slowRoutes().forEach(r -> slow.addObject().put("service", r.service()).put("route", r.route())
            .put("count", r.count()).put("p95", r.p95()).put("max", r.max()));
        ApiServer.json(ctx, body);
      });
    };
  }

  private static void putOrNull(ObjectNode n, String key, Long value) {
    if (value == null) {
      n.putNull(key);
    } else {
      n.put(key, value);
    }
  }
}
