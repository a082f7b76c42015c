package dev.lookout.collector.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.store.Database;
import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.IoStore;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * {@code GET /api/io}: I/O summed per service, path, call site, kind, mechanism and verdict
 * (filters {@code service, from, to}); and the {@code io} parts of request items and details.
 */
public final class IoRoutes {

  private static final JsonFactory JSON = new JsonFactory();

  private IoRoutes() {}

  public static Consumer<JavalinConfig> of(Database database) {
    IoStore store = new IoStore(database);
    return config -> config.routes.get("/api/io", ctx -> {
      String service = QueryParams.text(ctx, "service");
      Long from = QueryParams.time(ctx, "from");
      Long to = QueryParams.time(ctx, "to");
      if (from != null && to != null && from > to) {
        throw new BadRequestException("bad parameter 'from': later than 'to'");
      }
      ArrayNode items = Json.MAPPER.createArrayNode();
      for (IoStore.Summary s : store.summary(service, from, to)) {
        ObjectNode n = items.addObject();
        n.put("service", s.service());
        n.put("path", s.path());
        n.put("callSite", s.callSite());
        n.put("kind", s.kind());
        n.put("calls", s.calls());
        n.put("bytes", s.bytes());
        n.put("zeroCopyBytes", s.zeroCopyBytes());
        n.put("copiedBytes", s.copiedBytes());
        n.put("mechanism", s.mechanism());
        n.put("verdict", s.verdict());
        n.put("reason", s.reason());
        n.put("durationMs", s.nanos() / 1e6);
        n.put("source", s.source());
        n.put("target", s.target());
        n.put("units", s.units());
        n.put("firstSeen", s.firstSeen());
        n.put("lastSeen", s.lastSeen());
      }
      ObjectNode body = Json.object();
      body.set("items", items);
      body.putNull("nextCursor");
      ApiServer.json(ctx, body);
    });
  }

  /** The {@code io} array of a request's detail: its rows, looked for in the request's time range. */
  static void putTraceIo(ObjectNode body, Database database, String traceId, long from, long to) throws SQLException {
    ArrayNode io = body.putArray("io");
    for (IoRecord r : new IoStore(database).ofTrace(traceId, from, to)) {
      io.add(Json.MAPPER.valueToTree(r.toJsonMap()));
    }
  }

  /**
   * {@code io{zeroCopyBytes, copiedBytes, verdict}} of a request item, from the span attributes the
   * request row keeps ({@code lookout.io.*}); {@code verdict: none} when the request did no I/O worth
   * reporting. A streaming scan of the stored JSON: no tree is built.
   */
  static ObjectNode requestIo(String attributesJson) {
    long zero = 0;
    long copied = 0;
    String verdict = "none";
    if (attributesJson != null && attributesJson.contains("lookout.io.")) {
      try (JsonParser p = JSON.createParser(attributesJson)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
              case "lookout.io.zero_copy_bytes":
                zero = value.isNumeric() ? p.getLongValue() : 0;
                break;
              case "lookout.io.copied_bytes":
                copied = value.isNumeric() ? p.getLongValue() : 0;
                break;
              case "lookout.io.verdict":
                verdict = p.getValueAsString("none");
                break;
              default:
                p.skipChildren();
            }
          }
        }
      } catch (IOException ignored) {
        // an unreadable attribute column: report what was read
      }
    }
    ObjectNode io = Json.object();
    io.put("zeroCopyBytes", zero);
    io.put("copiedBytes", copied);
    io.put("verdict", verdict);
    return io;
  }
}
