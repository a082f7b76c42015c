package dev.lookout.collector.ingest;

import dev.lookout.collector.store.StorableText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading OTLP attribute lists, ids and values the way every mapper needs them. A span has a dozen
 * attributes, so lookups scan the list instead of hashing every freshly decoded key into a map
 * (that hashing was the largest single cost of ingest); when a key repeats, the last one wins.
 */
final class Attributes {

  private static final JsonFactory JSON = new JsonFactory();
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
      case STRING_VALUE: return StorableText.of(v.getStringValue());
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

  /** All attributes as a JSON object (arrays kept as arrays), for the request detail; streamed, no tree. */
  String toJson() {
    StringWriter out = new StringWriter(32 + list.size() * 40);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      for (int i = 0; i < list.size(); i++) {
        if (shadowed(i)) {
          continue;
        }
        KeyValue kv = list.get(i);
        AnyValue v = kv.getValue();
        g.writeFieldName(kv.getKey());
        if (v.hasArrayValue()) {
          g.writeStartArray();
          for (AnyValue x : v.getArrayValue().getValuesList()) {
            g.writeString(text(x));
          }
          g.writeEndArray();
        } else if (v.hasIntValue()) {
          g.writeNumber(v.getIntValue());
        } else if (v.hasDoubleValue()) {
          g.writeNumber(v.getDoubleValue());
        } else if (v.hasBoolValue()) {
          g.writeBoolean(v.getBoolValue());
        } else {
          g.writeString(text(v));
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }
}
