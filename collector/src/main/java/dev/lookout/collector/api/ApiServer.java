package dev.lookout.collector.api;

import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.query.ExceptionStore;
import dev.lookout.collector.store.query.LogStore;
import dev.lookout.collector.store.query.RequestStore;
import dev.lookout.collector.store.query.ServiceStore;
import dev.lookout.collector.http.ApiError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.http.ListenAddress;
import dev.lookout.collector.http.Listening;
import dev.lookout.collector.live.LiveHub;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JSON API, the live stream and the embedded UI, on {@code --port}. */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** Logs and exceptions of a request are looked for from its start to this long after its end. */
  private static final long TRACE_TAIL_MS = 60_000;

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server. {@code extraRoutes} lets a capability add its own routes (I/O, stats, auth)
   * without this class knowing them.
   */
  @SafeVarargs
  public static ApiServer start(ListenAddress address, Database database, LiveHub live,
      Consumer<JavalinConfig>... extraRoutes) {
    RequestStore requests = new RequestStore(database);
    LogStore logs = new LogStore(database);
    ExceptionStore exceptions = new ExceptionStore(database);
    ServiceStore services = new ServiceStore(database);
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
      config.routes.before(ctx -> SecurityHeaders.apply(ctx::header));
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/lookout-ui";
        files.location = Location.CLASSPATH;
      });
      config.routes.get("/healthz", ctx -> StorageRoutes.health(ctx, database.health()));
      config.routes.get("/api/requests", ctx -> {
        RequestStore.Page page = requests.find(QueryParams.requests(ctx));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(r -> items.add(Json.request(r)));
        json(ctx, Json.list(items, QueryParams.encodeCursor(page.next())));
      });
      config.routes.get("/api/requests/{traceId}", ctx -> {
        String traceId = QueryParams.validTraceId(ctx.pathParam("traceId"));
        String spanId = QueryParams.spanId(ctx);
        RequestRecord r = requests.byTrace(traceId, spanId, QueryParams.time(ctx, "at"));
        if (r == null) {
          ctx.status(404);
          json(ctx, Json.error("no request with trace id " + traceId + (spanId == null ? "" : " and span id " + spanId)));
          return;
        }
        long from = r.startTime() - 1000;
        long to = r.startTime() + (long) r.durationMs() + TRACE_TAIL_MS;
        ObjectNode body = Json.object();
        body.set("request", Json.requestDetail(r));
        ArrayNode logItems = body.putArray("logs");
        logs.ofTrace(traceId, from, to).forEach(l -> logItems.add(Json.log(l)));
        ArrayNode exceptionItems = body.putArray("exceptions");
        exceptions.ofTrace(traceId, from, to).forEach(e -> exceptionItems.add(Json.exception(e)));
        IoRoutes.putTraceIo(body, database, r, from, to);
        json(ctx, body);
      });
      config.routes.get("/api/logs", ctx -> {
        LogStore.Page page = logs.find(QueryParams.logs(ctx));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(l -> items.add(Json.log(l)));
        json(ctx, Json.list(items, QueryParams.encodeCursor(page.next())));
      });
      config.routes.get("/api/exceptions", ctx -> {
        Long[] range = QueryParams.timeRange(ctx);
        String service = QueryParams.text(ctx, "service");
        Integer buckets = QueryParams.buckets(ctx);
        List<ExceptionStore.Group> groups = exceptions.groups(service, range[0], range[1], QueryParams.limit(ctx));
        Map<String, long[]> histograms = Map.of();
        if (buckets != null && !groups.isEmpty()) {
          long from = range[0] != null ? range[0] : groups.stream().mapToLong(ExceptionStore.Group::firstSeen).min().getAsLong();
          long to = range[1] != null ? range[1] : System.currentTimeMillis() + 1;
          histograms = exceptions.histograms(service, from, Math.max(to, from + buckets), buckets);
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (ExceptionStore.Group g : groups) {
          ObjectNode item = Json.exceptionGroup(g);
          if (buckets != null) {
            long[] counts = histograms.getOrDefault(ExceptionStore.key(g.service(), g.fingerprint()), new long[buckets]);
            ArrayNode histogram = item.putArray("histogram");
            for (long n : counts) {
              histogram.add(n);
            }
          }
          items.add(item);
        }
        json(ctx, Json.list(items, null));
      });
      config.routes.get("/api/services", ctx -> {
        ArrayNode items = Json.MAPPER.createArrayNode();
        services.all().forEach(s -> items.addObject().put("name", s.name()).put("lastSeen", s.lastSeen())
            .put("requests", s.requests()).put("errors", s.errors()));
        ObjectNode body = Json.object();
        body.set("items", items);
        json(ctx, body);
      });
      config.routes.sse("/api/live", client -> LiveStream.serve(client, live));
      for (Consumer<JavalinConfig> routes : extraRoutes) {
        routes.accept(config);
      }
      config.routes.exception(ApiError.class, (e, ctx) -> {
        ctx.status(e.status());
        json(ctx, Json.error(e.getMessage()));
      });
      config.routes.exception(java.sql.SQLException.class, (e, ctx) -> {
        if ("2201B".equals(e.getSQLState())) {
          // PostgreSQL's regexes (ARE) refuse a few patterns Java's accept, e.g. named groups
          ctx.status(400);
          json(ctx, Json.error("bad parameter 'path': " + e.getMessage().lines().findFirst().orElse("")));
          return;
        }
        LOG.error("API request {} failed", ctx.path(), e);
        ctx.status(500);
        json(ctx, Json.error("internal error; see the collector's log"));
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("API request {} failed", ctx.path(), e);
        ctx.status(500);
        json(ctx, Json.error("internal error; see the collector's log"));
      });
      config.routes.error(404, "application/json", ctx -> {
        if (ctx.result() == null) {
          json(ctx, Json.error("no such route: " + ctx.path()));
        }
      });
    });
    Listening.start(app, address);
    return new ApiServer(app);
  }

  static void json(Context ctx, JsonNode body) {
    ctx.contentType("application/json").result(Json.write(body));
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
