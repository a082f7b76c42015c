package dev.lookout.collector.ingest;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading OTLP attribute lists, ids and values the way every mapper needs them. A span has a dozen
 * attributes, so lookups scan the list instead of hashing every freshly decoded key into a map
 * (that hashing was the largest single cost of ingest); when a key repeats, the last one wins.
 */
final class Attributes {

  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
  private static final HexFormat HEX = HexFormat.of();

  private final List<KeyValue> list;

  private Attributes(List<KeyValue> list) {
    this.list = list;
  }

  static Attributes of(List<KeyValue> list) {
    return new Attributes(list);
  }

  /** The value of the last attribute named {@code key}, or null. */
  private AnyValue get(String key) {
    for (int i = list.size() - 1; i >= 0; i--) {
      KeyValue kv = list.get(i);
      if (kv.getKey().equals(key)) {
        return kv.getValue();
      }
    }
    return null;
  }

  /** Whether a later attribute has the same key as the one at {@code index} (which then does not count). */
  private boolean shadowed(int index) {
    String key = list.get(index).getKey();
    for (int i = index + 1; i < list.size(); i++) {
      if (list.get(i).getKey().equals(key)) {
        return true;
      }
    }
    return false;
  }

  static String serviceName(Resource resource) {
    String name = of(resource.getAttributesList()).text("service.name");
    return name == null || name.isBlank() ? "unknown_service" : name;
  }

  /** The first of {@code keys} present, as text. */
  String text(String... keys) {
    for (String k : keys) {
      AnyValue v = get(k);
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
      AnyValue v = get(k);
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
    AnyValue v = get(key);
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

  /**
   * All attributes as a JSON object (arrays kept as arrays), for the request detail. Written into
   * one builder with Jackson's string escaping: a generator per span cost more than the escaping.
   */
  String toJson() {
    StringBuilder out = new StringBuilder(32 + list.size() * 48);
    out.append('{');
    boolean first = true;
    for (int i = 0; i < list.size(); i++) {
      if (shadowed(i)) {
        continue;
      }
      KeyValue kv = list.get(i);
      AnyValue v = kv.getValue();
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(kv.getKey(), out).append(':');
      if (v.hasArrayValue()) {
        out.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int j = 0; j < values.size(); j++) {
          quote(text(values.get(j)), out.append(j == 0 ? "" : ","));
        }
        out.append(']');
      } else if (v.hasIntValue()) {
        out.append(v.getIntValue());
      } else if (v.hasDoubleValue() && Double.isFinite(v.getDoubleValue())) {
        out.append(v.getDoubleValue());
      } else if (v.hasBoolValue()) {
        out.append(v.getBoolValue());
      } else {
        quote(v.hasDoubleValue() ? Double.toString(v.getDoubleValue()) : text(v), out);
      }
    }
    return out.append('}').toString();
  }

  /** {@code text} as a JSON string (null as null). */
  private static StringBuilder quote(String text, StringBuilder out) {
    if (text == null) {
      return out.append("null");
    }
    out.append('"');
    JSON_STRINGS.quoteAsString(text, out);
    return out.append('"');
  }
}
