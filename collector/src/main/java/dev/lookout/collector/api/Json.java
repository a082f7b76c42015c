package dev.lookout.collector.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.store.RequestRecord;

/** The API's JSON shapes (SPEC §1). */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode request(RequestRecord r) {
    ObjectNode n = MAPPER.createObjectNode();
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
    n.putNull("io");
    return n;
  }

  static ObjectNode error(String message) {
    return MAPPER.createObjectNode().put("error", message);
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
