package dev.lookout.collector.ingest;

import dev.lookout.protocol.ResourceAttributes;
import dev.lookout.collector.store.StorableText;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Reading OTLP attribute lists, ids and values the way every mapper needs them. A span has a dozen
 * attributes, so lookups scan the list instead of hashing every freshly decoded key into a map
 * (that hashing was the largest single cost of ingest); when a key repeats, the last one wins.
 * The attributes the span mappers read ({@link SpanKey}) are not looked for at all: adding one
 * notes where its last value is.
 *
 * <p>A value is an {@link AnyValue} when the attributes come from a decoded message, or, when
 * {@link ProtobufTraces} read them straight off the wire, a String, a whole number (kept as a
 * {@code long}, not boxed), a Double, Boolean, ByteString, or an AnyValue for arrays and maps;
 * null when the value is not set.
 */
final class Attributes {

  private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();
  private static final HexFormat HEX = HexFormat.of();
  /** The value of an attribute whose value is the whole number in {@link #numbers}. */
  private static final Object WHOLE = new Object();

  private String[] keys;
  /**
   * The keys' hash codes, compared before the keys: most lookups by name miss, and String.equals
   * decides that only after comparing lengths and often bytes. The keys {@link ProtobufTraces}
   * reads are the same few instances for a whole export, so their hashes are computed once per export.
   */
  private int[] hashes;
  private SpanKey[] spanKeys;
  private Object[] values;
  private long[] numbers;
  private int size;
  /** For each {@link SpanKey} (by ordinal), one more than the index of its last attribute; 0: none. */
  private final int[] known = new int[SpanKey.COUNT];
  /**
   * Whether a String value holds a NUL, which text then replaces ({@link StorableText}); the values
   * are checked once, as they are added, instead of on every read.
   */
  private boolean nul;

  private Attributes(int capacity) {
    keys = new String[capacity];
    hashes = new int[capacity];
    spanKeys = new SpanKey[capacity];
    values = new Object[capacity];
    numbers = new long[capacity];
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
    add(key, SpanKey.of(key), value);
  }

  /** An attribute whose key the caller resolved already ({@code spanKey}: null when it is none). */
  void add(String key, SpanKey spanKey, Object value) {
    if (value instanceof String text && text.indexOf('\0') >= 0) {
      nul = true;
    }
    append(key, spanKey, value, 0);
  }

  /** A text value the caller checked for NUL already. */
  void addText(String key, SpanKey spanKey, String value, boolean hasNul) {
    nul |= hasNul;
    append(key, spanKey, value, 0);
  }

  /** A whole number (an OTLP int value). */
  void addWhole(String key, SpanKey spanKey, long value) {
    append(key, spanKey, WHOLE, value);
  }

  private void append(String key, SpanKey spanKey, Object value, long number) {
    if (size == keys.length) {
      int capacity = Math.max(8, size * 2);
      keys = Arrays.copyOf(keys, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      spanKeys = Arrays.copyOf(spanKeys, capacity);
      values = Arrays.copyOf(values, capacity);
      numbers = Arrays.copyOf(numbers, capacity);
    }
    hashes[size] = key.hashCode();
    keys[size] = key;
    spanKeys[size] = spanKey;
    values[size] = value;
    numbers[size] = number;
    if (spanKey != null) {
      known[spanKey.ordinal()] = size + 1;
    }
    size++;
  }

  /** The index of the last attribute named {@code key}, or -1. */
  private int indexOf(String key) {
    int hash = key.hashCode();
    for (int i = size - 1; i >= 0; i--) {
      if (hashes[i] == hash && keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the last attribute of {@code key}, or -1. */
  int indexOf(SpanKey key) {
    return known[key.ordinal()] - 1;
  }

  int size() {
    return size;
  }

  /** The {@link SpanKey} of the attribute at {@code index}, null when it is none. */
  SpanKey spanKey(int index) {
    return spanKeys[index];
  }

  /** Whether the value at {@code index} is text (then {@link #textAt} is its storable text). */
  boolean isText(int index) {
    Object v = values[index];
    return v instanceof String || v instanceof AnyValue any && any.hasStringValue();
  }

  /** Whether the value at {@code index} is a whole number (then {@link #wholeAt} is it). */
  boolean isWhole(int index) {
    Object v = values[index];
    return v == WHOLE || v instanceof AnyValue any && any.hasIntValue();
  }

  /** The whole number at {@code index}, which {@link #isWhole} is. */
  long wholeAt(int index) {
    Object v = values[index];
    return v == WHOLE ? numbers[index] : ((AnyValue) v).getIntValue();
  }

  /** Whether a later attribute has the same key as the one at {@code index} (which then does not count). */
  private boolean shadowed(int index) {
    if (spanKeys[index] != null) {
      return known[spanKeys[index].ordinal()] != index + 1;
    }
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
      String s = textAt(indexOf(k));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /** The first of {@code keys} present, as text. */
  String text(SpanKey... keys) {
    for (SpanKey k : keys) {
      String s = textAt(indexOf(k));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  /** The first of {@code keys} present as a whole number, else {@code fallback}. */
  long number(long fallback, String... keys) {
    for (String k : keys) {
      int i = indexOf(k);
      if (isNumber(i)) {
        return numberAt(i);
      }
    }
    return fallback;
  }

  /** The first of {@code keys} present as a whole number, else {@code fallback}. */
  long number(long fallback, SpanKey... keys) {
    for (SpanKey k : keys) {
      int i = indexOf(k);
      if (isNumber(i)) {
        return numberAt(i);
      }
    }
    return fallback;
  }

  /** Whether the value at {@code index} (-1: none) is a whole number or text that reads as one. */
  private boolean isNumber(int index) {
    if (index < 0) {
      return false;
    }
    if (isWhole(index)) {
      return true;
    }
    String text = rawText(index);
    if (text == null) {
      return false;
    }
    try {
      Long.parseLong(text.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The value at {@code index}, which {@link #isNumber} is, as a number. */
  private long numberAt(int index) {
    return isWhole(index) ? wholeAt(index) : Long.parseLong(rawText(index).trim());
  }

  /** The text value at {@code index} as it was sent (NUL not replaced), or null when it is not text. */
  private String rawText(int index) {
    Object v = values[index];
    return v instanceof String text ? text : v instanceof AnyValue any && any.hasStringValue() ? any.getStringValue() : null;
  }

  boolean flag(String key) {
    int i = indexOf(key);
    Object v = i < 0 ? null : values[i];
    if (v instanceof AnyValue any) {
      return any.getBoolValue() || "true".equalsIgnoreCase(any.getStringValue());
    }
    return Boolean.TRUE.equals(v) || (v instanceof String text && "true".equalsIgnoreCase(text));
  }

  /** The value at {@code index} as text (a String storable, see {@link StorableText}); null when {@code index} is -1. */
  String textAt(int index) {
    if (index < 0) {
      return null;
    }
    Object v = values[index];
    if (v instanceof String text) {
      return nul ? StorableText.of(text) : text;
    }
    if (v == WHOLE) {
      return Long.toString(numbers[index]);
    }
    if (v == null) {
      return null;
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
      if (value == WHOLE) {
        out.append(numbers[i]);
      } else if (!(value instanceof AnyValue v)) {
        if (value instanceof Boolean || (value instanceof Double d && Double.isFinite(d))) {
          out.append(value);
        } else {
          quote(textAt(i), out);
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
