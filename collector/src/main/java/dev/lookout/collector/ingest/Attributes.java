package dev.lookout.collector.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Reading OTLP attribute lists, ids and values the way every mapper needs them. */
final class Attributes {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, AnyValue> values;

  private Attributes(Map<String, AnyValue> values) {
    this.values = values;
  }

  static Attributes of(List<KeyValue> list) {
    Map<String, AnyValue> map = new HashMap<>(list.size() * 2);
    for (KeyValue kv : list) {
      map.put(kv.getKey(), kv.getValue());
    }
    return new Attributes(map);
  }

  static String serviceName(Resource resource) {
    String name = of(resource.getAttributesList()).text("service.name");
    return name == null || name.isBlank() ? "unknown_service" : name;
  }

  /** The first of {@code keys} present, as text. */
  String text(String... keys) {
    for (String k : keys) {
      AnyValue v = values.get(k);
      if (v != null) {
        String s = text(v);
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  /** The first of {@code keys} present as a whole number, else {@code fallback}. */
  long number(long fallback, String... keys) {
    for (String k : keys) {
      AnyValue v = values.get(k);
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
    return fallback;
  }

  boolean flag(String key) {
    AnyValue v = values.get(key);
    return v != null && (v.getBoolValue() || "true".equalsIgnoreCase(v.getStringValue()));
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
      case BYTES_VALUE: return HEX.formatHex(v.getBytesValue().toByteArray());
      default: return null;
    }
  }

  static String hex(ByteString id) {
    return id.isEmpty() ? null : HEX.formatHex(id.toByteArray());
  }

  /** All attributes as a JSON object (arrays kept as arrays), for the request detail. */
  String toJson() {
    ObjectNode n = MAPPER.createObjectNode();
    values.forEach((k, v) -> {
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
