package dev.lookout.collector.api;

import dev.lookout.protocol.SpanAttributes;
import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.IoRecord;
import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.query.ExceptionStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** The API's JSON shapes (SPEC §1). */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A stored record of any kind, in the shape its list route and the live stream give it. */
  static ObjectNode record(RecordKind kind, Object row) {
    return switch (kind) {
      case REQUEST -> request((RequestRecord) row);
      case LOG -> log((LogEntryRecord) row);
      case EXCEPTION -> exception((ExceptionRecord) row);
      case IO -> io((IoRecord) row);
    };
  }

  static ObjectNode request(RequestRecord r) {
    ObjectNode n = object();
    n.put("traceId", r.traceId());
    n.put("spanId", r.spanId());
    n.put("service", r.service());
    n.put("method", r.method());
    n.put("path", r.path());
    n.put("route", r.route());
    n.put("query", r.query());
    n.put("status", r.status());
    n.put("durationMs", r.durationMs());
    n.put("startTime", r.startTime());
    n.put("clientAddress", r.clientAddress());
    n.put("exceptionCount", r.exceptionCount());
    n.put("logCount", r.logCount());
    n.set("io", IoRoutes.requestIo(r));
    return n;
  }

  /** The request with what only the detail view shows: headers and all span attributes. */
  static ObjectNode requestDetail(RequestRecord r) {
    ObjectNode n = request(r);
    ObjectNode headers = n.putObject("headers");
    ObjectNode requestHeaders = headers.putObject("request");
    ObjectNode responseHeaders = headers.putObject("response");
    ObjectNode bodies = n.putObject("bodies");
    ObjectNode attributes = MAPPER.valueToTree(r.columns().attributes(r));
    attributes.setAll((ObjectNode) parse(r.attributesJson()));
    for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      if (a.getKey().startsWith(SpanAttributes.REQUEST_HEADER_PREFIX)) {
        requestHeaders.set(a.getKey().substring(SpanAttributes.REQUEST_HEADER_PREFIX.length()), a.getValue());
      } else if (a.getKey().startsWith(SpanAttributes.RESPONSE_HEADER_PREFIX)) {
        responseHeaders.set(a.getKey().substring(SpanAttributes.RESPONSE_HEADER_PREFIX.length()), a.getValue());
      } else if (a.getKey().equals(SpanAttributes.REQUEST_BODY)) {
        bodies.set("request", a.getValue());
      } else if (a.getKey().equals(SpanAttributes.RESPONSE_BODY)) {
        bodies.set("response", a.getValue());
      }
    }
    n.set("attributes", attributes);
    return n;
  }

  static ObjectNode log(LogEntryRecord r) {
    ObjectNode n = object();
    n.put("time", r.time());
    n.put("service", r.service());
    n.put("level", r.levelName());
    n.put("logger", r.logger());
    n.put("thread", r.thread());
    n.put("message", r.message());
    n.put("exception", r.exception());
    n.put("traceId", r.traceId());
    n.put("spanId", r.spanId());
    return n;
  }

  static ObjectNode exception(ExceptionRecord e) {
    ObjectNode n = object();
    n.put("time", e.time());
    n.put("service", e.service());
    n.put("fingerprint", e.fingerprint());
    n.put("type", e.type());
    n.put("message", e.message());
    n.put("stacktrace", e.stacktrace());
    n.put("traceId", e.traceId());
    n.put("spanId", e.spanId());
    n.put("source", e.source());
    return n;
  }

  /** The API's item shape (SPEC {@code GET /api/io}), plus time, duration, source, target and trace. */
  static ObjectNode io(IoRecord r) {
    ObjectNode n = object();
    n.put("service", r.service());
    n.put("path", r.path());
    n.put("callSite", r.callSite());
    n.put("kind", r.kind());
    n.put("calls", r.calls());
    n.put("bytes", r.bytes());
    n.put("zeroCopyBytes", r.zeroCopyBytes());
    n.put("copiedBytes", r.copiedBytes());
    n.put("mechanism", r.mechanism());
    n.put("verdict", r.verdict());
    n.put("reason", r.reason());
    n.put("durationMs", r.nanos() / 1e6);
    n.put("source", r.source());
    n.put("target", r.target());
    n.put("time", r.time());
    n.put("traceId", r.traceId());
    return n;
  }

  static ObjectNode exceptionGroup(ExceptionStore.Group g) {
    ObjectNode n = object();
    n.put("fingerprint", g.fingerprint());
    n.put("type", g.latest().type());
    n.put("message", g.latest().message());
    n.put("count", g.count());
    n.put("firstSeen", g.firstSeen());
    n.put("lastSeen", g.lastSeen());
    n.put("sampleTraceId", g.latest().traceId());
    n.put("service", g.service());
    return n;
  }

  /** {@code {"items": [...], "nextCursor": …}}. */
  static ObjectNode list(ArrayNode items, String nextCursor) {
    ObjectNode body = object();
    body.set("items", items);
    body.put("nextCursor", nextCursor);
    return body;
  }

  static ObjectNode error(String message) {
    return object().put("error", message);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stored attribute object; an empty one when there is none or it is unreadable. */
  private static JsonNode parse(String json) {
    if (json == null) {
      return object();
    }
    try {
      JsonNode tree = MAPPER.readTree(json);
      return tree instanceof ObjectNode ? tree : object();
    } catch (JsonProcessingException e) {
      return object();
    }
  }
}
