package dev.lookout.collector.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.lookout.collector.store.RequestRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * OTLP spans to request rows. A request is a SERVER span with an HTTP method; the current
 * semantic-convention names are read first, the older ones (http.method, http.target, …) as a
 * fallback so that older SDKs and agents show up too.
 */
final class TraceMapper {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  /** Rows to store, and how many spans were rejected as unusable (for partial success). */
  record Result(List<RequestRecord> requests, int rejected, String rejectReason) {}

  private TraceMapper() {}

  static Result map(ExportTraceServiceRequest export) {
    List<RequestRecord> out = new ArrayList<>();
    int rejected = 0;
    String reason = null;
    for (ResourceSpans rs : export.getResourceSpansList()) {
      String service = serviceName(rs.getResource());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER) {
            continue;
          }
          Map<String, AnyValue> attrs = attributes(span.getAttributesList());
          String method = first(attrs, "http.request.method", "http.method");
          if (method == null) {
            continue;
          }
          if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
            rejected++;
            reason = "span with an invalid trace or span id";
            continue;
          }
          out.add(toRequest(service, span, attrs, method));
        }
      }
    }
    return new Result(out, rejected, reason);
  }

  private static RequestRecord toRequest(String service, Span span, Map<String, AnyValue> attrs, String method) {
    String path = first(attrs, "url.path", "http.target");
    String query = first(attrs, "url.query");
    if (path != null && query == null && path.indexOf('?') >= 0) {
      query = path.substring(path.indexOf('?') + 1);
    }
    if (path != null && path.indexOf('?') >= 0) {
      path = path.substring(0, path.indexOf('?'));
    }
    String route = first(attrs, "http.route");
    if (path == null) {
      path = route != null ? route : span.getName();
    }
    long status = number(attrs, "http.response.status_code", "http.status_code");
    long startNanos = span.getStartTimeUnixNano();
    long endNanos = Math.max(span.getEndTimeUnixNano(), startNanos);
    int exceptions = (int) span.getEventsList().stream().filter(e -> e.getName().equals("exception")).count();
    return new RequestRecord(0, hex(span.getTraceId()), hex(span.getSpanId()), service, method, path, route, query,
        (int) status, (endNanos - startNanos) / 1_000_000.0, startNanos / 1_000_000,
        first(attrs, "client.address", "net.sock.peer.addr", "net.peer.ip"), exceptions, 0, toJson(attrs));
  }

  static String serviceName(Resource resource) {
    String name = first(attributes(resource.getAttributesList()), "service.name");
    return name == null || name.isBlank() ? "unknown_service" : name;
  }

  static Map<String, AnyValue> attributes(List<KeyValue> list) {
    Map<String, AnyValue> map = new HashMap<>(list.size() * 2);
    for (KeyValue kv : list) {
      map.put(kv.getKey(), kv.getValue());
    }
    return map;
  }

  static String first(Map<String, AnyValue> attrs, String... keys) {
    for (String k : keys) {
      AnyValue v = attrs.get(k);
      if (v != null) {
        String s = text(v);
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  private static long number(Map<String, AnyValue> attrs, String... keys) {
    for (String k : keys) {
      AnyValue v = attrs.get(k);
      if (v != null) {
        if (v.hasIntValue()) {
          return v.getIntValue();
        }
        if (v.hasStringValue()) {
          try {
            return Long.parseLong(v.getStringValue().trim());
          } catch (NumberFormatException ignored) {
            // try the next key
          }
        }
      }
    }
    return 0;
  }

  static String text(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return v.getStringValue();
      case INT_VALUE: return Long.toString(v.getIntValue());
      case DOUBLE_VALUE: return Double.toString(v.getDoubleValue());
      case BOOL_VALUE: return Boolean.toString(v.getBoolValue());
      case ARRAY_VALUE:
        List<String> parts = new ArrayList<>();
        v.getArrayValue().getValuesList().forEach(x -> parts.add(text(x)));
        return String.join(", ", parts);
      default: return null;
    }
  }

  static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  private static String toJson(Map<String, AnyValue> attrs) {
    ObjectNode n = MAPPER.createObjectNode();
    attrs.forEach((k, v) -> {
      if (v.hasArrayValue()) {
        ArrayNode a = n.putArray(k);
        v.getArrayValue().getValuesList().forEach(x -> a.add(text(x)));
      } else if (v.hasIntValue()) {
        n.put(k, v.getIntValue());
      } else if (v.hasDoubleValue()) {
        n.put(k, v.getDoubleValue());
      } else if (v.hasBoolValue()) {
        n.put(k, v.getBoolValue());
      } else {
        n.put(k, text(v));
      }
    });
    return n.toString();
  }
}
