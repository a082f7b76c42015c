package dev.lookout.collector.api;

import dev.lookout.protocol.SpanAttributes;
import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.backend.Database;
import dev.lookout.collector.store.query.IoStore;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
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
        n.put("sampleTraceId", s.sampleTraceId());
      }
      ObjectNode body = Json.object();
      body.set("items", items);
      body.putNull("nextCursor");
      ApiServer.json(ctx, body);
    });
  }

  /**
   * The {@code io} array of a request's detail: its rows, looked for in the request's time range.
   * Its plain socket traffic was summed with other requests' at ingest, so when no socket row names
   * the trace, the request's own figures come from its {@code lookout.io.socket.*} attributes.
   */
  static void putTraceIo(ObjectNode body, Database database, RequestRecord request, long from, long to)
      throws SQLException {
    ArrayNode io = body.putArray("io");
    boolean socket = false;
    for (IoRecord r : new IoStore(database).ofTrace(request.traceId(), from, to)) {
      io.add(Json.io(r));
      socket |= "socket".equals(r.kind());
    }
    if (!socket) {
      Map<String, Object> a = ioAttributes(request);
      long calls = number(a, SpanAttributes.IO_SOCKET_CALLS);
      if (calls > 0) {
        IoRecord row = new IoRecord(0, request.startTime() + (long) request.durationMs(), request.service(),
            request.route() != null ? request.route() : request.path(), "-", "socket", calls,
            number(a, SpanAttributes.IO_SOCKET_BYTES_IN) + number(a, SpanAttributes.IO_SOCKET_BYTES_OUT), 0, 0, "user-copy",
            "none", null, number(a, SpanAttributes.IO_SOCKET_NANOS), "socket", "socket", request.traceId(),
            request.spanId(), 1);
        io.add(Json.io(row));
      }
    }
  }

  /**
   * {@code io{zeroCopyBytes, copiedBytes, verdict}} of a request item, from the span attributes the
   * request row keeps ({@code lookout.io.*}); {@code verdict: none} when the request did no I/O worth
   * reporting.
   */
  static ObjectNode requestIo(RequestRecord request) {
    Map<String, Object> a = ioAttributes(request);
    Object verdict = a.get(SpanAttributes.IO_VERDICT);
    ObjectNode io = Json.object();
    io.put("zeroCopyBytes", number(a, SpanAttributes.IO_ZERO_COPY_BYTES));
    io.put("copiedBytes", number(a, SpanAttributes.IO_COPIED_BYTES));
    io.put("verdict", verdict instanceof String ? (String) verdict : "none");
    return io;
  }

  private static long number(Map<String, Object> attributes, String key) {
    return attributes.get(key) instanceof Long n ? n : 0;
  }

  /**
   * The scalar {@code lookout.io.*} attributes of a request row (numbers as Long, text as String):
   * those in its columns, and those in its JSON by a streaming scan (no tree is built).
   */
  private static Map<String, Object> ioAttributes(RequestRecord request) {
    String attributesJson = request.attributesJson();
    Map<String, Object> out = request.columns().attributes(request, SpanAttributes.IO_PREFIX);
    if (attributesJson == null || !attributesJson.contains(SpanAttributes.IO_PREFIX)) {
      return out;
    }
    try (JsonParser p = JSON.createParser(attributesJson)) {
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (!name.startsWith(SpanAttributes.IO_PREFIX)) {
            p.skipChildren();
          } else if (value == JsonToken.VALUE_NUMBER_INT) {
            out.put(name, p.getLongValue());
          } else if (value == JsonToken.VALUE_STRING) {
            out.put(name, p.getText());
          } else {
            p.skipChildren();
          }
        }
      }
    } catch (IOException ignored) {
      // an unreadable attribute column: report what was read
    }
    return out;
  }
}
