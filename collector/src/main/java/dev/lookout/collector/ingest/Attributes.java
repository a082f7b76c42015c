package dev.lookout.collector.ingest;

import dev.lookout.protocol.ResourceAttributes;
import dev.lookout.collector.store.StorableText;
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
 * A value is an {@link AnyValue} when the attributes come from a decoded message, or, when
 * {@link ProtobufTraces} read them straight off the wire, a String, Long, Double, Boolean,
 * ByteString, or an AnyValue for arrays and maps; null when the value is not set.
 */
final class Attributes {

  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
  private static final HexFormat HEX = HexFormat.of();

  private String[] keys;
  /**
   * The keys' hash codes, compared before the keys: a span's twenty-odd lookups each scan a dozen
   * keys, and most of them miss, which String.equals decides only after comparing lengths and often
   * bytes (the {@code lookout.io.socket.*} keys share their length and a long prefix). That scan was
   * 14 % of the decode-and-map samples. The keys {@link ProtobufTraces} reads are the same few
   * instances for a whole export, so their hashes are computed once per export.
   */
  private int[] hashes;
  private Object[] values;
  private int size;

  private Attributes(int capacity) {
    keys = new String[capacity];
    hashes = new int[capacity];
    values = new Object[capacity];
  }

  static Attributes of(List<KeyValue> list) {
    Attributes a = new Attributes(list.size());
    for (KeyValue kv : list) {
      a.add(kv.getKey(), kv.getValue());
    }
    return a;
  }

  /** An empty list that {@link #add} fills. */
  static Attributes empty() {
    return new Attributes(16);
  }

  void add(String key, Object value) {
    if (size == keys.length) {
      keys = java.util.Arrays.copyOf(keys, Math.max(8, size * 2));
      values = java.util.Arrays.copyOf(values, Math.max(8, size * 2));
      hashes = java.util.Arrays.copyOf(hashes, Math.max(8, size * 2));
    }
    hashes[size] = key.hashCode();
    keys[size] = key;
    values[size++] = value;
  }

  /** The value of the last attribute named {@code key}, or null. */
  private Object get(String key) {
    int hash = key.hashCode();
    for (int i = size - 1; i >= 0; i--) {
      if (hashes[i] == hash && keys[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  int size() {
    return size;
  }

  String key(int index) {
    return keys[index];
  }

  /**
   * The value at {@code index} as a scalar where it is one: text as a String (storable, see
   * {@link StorableText}), a whole number as a Long; anything else as it was read.
   */
  Object scalar(int index) {
    Object v = values[index];
    if (v instanceof AnyValue any) {
      return any.hasStringValue() ? StorableText.of(any.getStringValue()) : any.hasIntValue() ? any.getIntValue() : any;
    }
    return v instanceof String text ? StorableText.of(text) : v;
  }

  /** Whether a later attribute has the same key as the one at {@code index} (which then does not count). */
  private boolean shadowed(int index) {
    String key = keys[index];
    int hash = hashes[index];
    for (int i = index + 1; i < size; i++) {
      if (hashes[i] == hash && keys[i].equals(key)) {
        return true;
      }
    }
    return false;
  }

  static String serviceName(Resource resource) {
    return serviceName(of(resource.getAttributesList()));
  }

  /** {@code service.name} of a resource's attributes. */
  static String serviceName(Attributes resource) {
    String name = resource.text(ResourceAttributes.SERVICE_NAME);
    return name == null || name.isBlank() ? "unknown_service" : name;
  }

  /** The first of {@code keys} present, as text. */
  String text(String... keys) {
    for (String k : keys) {
      String s = textOf(get(k));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /** The first of {@code keys} present as a whole number, else {@code fallback}. */
  long number(long fallback, String... keys) {
    for (String k : keys) {
      Object v = get(k);
      if (v instanceof AnyValue any) {
        v = any.hasIntValue() ? (Object) any.getIntValue() : any.hasStringValue() ? any.getStringValue() : null;
      }
      if (v instanceof Long n) {
        return n;
      }
      if (v instanceof String text) {
        try {
          return Long.parseLong(text.trim());
        } catch (NumberFormatException ignored) {
          // try the next key
        }
      }
    }
    return fallback;
  }

  boolean flag(String key) {
    Object v = get(key);
    if (v instanceof AnyValue any) {
      return any.getBoolValue() || "true".equalsIgnoreCase(any.getStringValue());
    }
    return Boolean.TRUE.equals(v) || (v instanceof String text && "true".equalsIgnoreCase(text));
  }

  /** A value of this list as text. */
  private static String textOf(Object v) {
    if (v == null || v instanceof String) {
      return StorableText.of((String) v);
    }
    if (v instanceof AnyValue any) {
      return text(any);
    }
    if (v instanceof ByteString bytes) {
      return HEX.formatHex(bytes.toByteArray());
    }
    return v.toString();
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
    if (id.isEmpty()) {
      return null;
    }
    // Two table lookups per byte into a Latin-1 array, no copy of the id: HexFormat (a copy of the
    // id, then a StringBuilder) was 8 % of the receiving threads' samples, twice per span.
    int n = id.size();
    byte[] out = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      int b = id.byteAt(i) & 0xff;
      out[2 * i] = HEX_DIGITS[b >>> 4];
      out[2 * i + 1] = HEX_DIGITS[b & 0xf];
    }
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

  /**
   * The attributes but those {@code leftOut} marks (by index; null: none) as a JSON object (arrays
   * kept as arrays), for the request detail; null when none are left. Written into one builder with
   * Jackson's string escaping: a generator per span cost more than the escaping.
   */
  String toJson(boolean[] leftOut) {
    StringBuilder out = null;
    boolean first = true;
    for (int i = 0; i < size; i++) {
      if (leftOut != null && leftOut[i] || shadowed(i)) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(32 + (size - i) * 48).append('{');
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(keys[i], out).append(':');
      Object value = values[i];
      if (!(value instanceof AnyValue v)) {
        if (value instanceof Long || value instanceof Boolean
            || (value instanceof Double d && Double.isFinite(d))) {
          out.append(value);
        } else {
          quote(textOf(value), out);
        }
      } else if (v.hasArrayValue()) {
        out.append('[');
        List<AnyValue> items = v.getArrayValue().getValuesList();
        for (int j = 0; j < items.size(); j++) {
          quote(text(items.get(j)), out.append(j == 0 ? "" : ","));
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
    return out == null ? null : out.append('}').toString();
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
