package dev.lookout.collector.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.CollectorOptions;
import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.store.RequestQuery;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.RequestStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JSON API, the live stream and the embedded UI, on {@code --port}. */
public final class ApiServer {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  /** How often an idle live stream sends a comment, so proxies and browsers keep it open. */
  private static final long KEEPALIVE_SECONDS = 15;

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  public static ApiServer start(CollectorOptions options, RequestStore requests, LiveHub live) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/lookout-ui";
        files.location = Location.CLASSPATH;
      });
      config.routes.get("/healthz", ctx -> json(ctx, Json.MAPPER.createObjectNode().put("status", "ok")));
      config.routes.get("/api/requests", ctx -> {
        RequestStore.Page page = requests.find(QueryParams.requests(ctx));
        ArrayNode items = Json.MAPPER.createArrayNode();
        page.items().forEach(r -> items.add(Json.request(r)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("items", items);
        body.put("nextCursor", QueryParams.encodeCursor(page.next()));
        json(ctx, body);
      });
      config.routes.sse("/api/live", client -> stream(client, live));
      config.routes.exception(BadRequestException.class, (e, ctx) -> {
        ctx.status(400);
        json(ctx, Json.error(e.getMessage()));
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("API request {} failed", ctx.path(), e);
        ctx.status(500);
        json(ctx, Json.error("internal error; see the collector's log"));
      });
      config.routes.error(404, "application/json", ctx -> json(ctx, Json.error("no such route: " + ctx.path())));
    });
    app.start(options.bind, options.port);
    return new ApiServer(app);
  }

  /** Blocks this request's thread for the life of the stream; the writer never waits on it. */
  private static void stream(SseClient client, LiveHub live) {
    RequestQuery filter;
    try {
      filter = QueryParams.requests(client.ctx());
    } catch (BadRequestException e) {
      client.ctx().status(400);
      client.sendEvent("error", Json.write(Json.error(e.getMessage())));
      client.close();
      return;
    }
    try (LiveHub.Subscriber subscriber = live.subscribe(filter)) {
      client.sendComment("connected");
      while (!client.terminated()) {
        RequestRecord r = subscriber.next(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        long skipped = subscriber.takeSkipped();
        if (skipped > 0) {
          client.sendEvent("skipped", Json.write(Json.MAPPER.createObjectNode().put("skipped", skipped)));
        }
        if (r == null) {
          client.sendComment("keepalive");
        } else {
          client.sendEvent("request", Json.write(Json.request(r)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void json(Context ctx, JsonNode body) {
    ctx.contentType("application/json").result(Json.write(body));
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
