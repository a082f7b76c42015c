package dev.lookout.collector.ingest;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a protobuf trace export straight off the wire into rows. Parsing it into messages first
 * built six objects per attribute (builders, field builders, the value, the pair) and was most
 * of what ingest allocated; here a span without events costs its strings and one row. A span
 * with events (exceptions, I/O) is rare and is parsed as a message and mapped by
 * {@link TraceMapper.Rows#add}, so that what a span means is decided in one place. Fields this
 * reader does not need are skipped without being checked.
 */
final class ProtobufTraces {

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int RESOURCE_SPANS = ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE = ResourceSpans.RESOURCE_FIELD_NUMBER << 3 | LEN;
  private static final int SCOPE_SPANS = ResourceSpans.SCOPE_SPANS_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_ATTRIBUTES = Resource.ATTRIBUTES_FIELD_NUMBER << 3 | LEN;
  private static final int SPANS = ScopeSpans.SPANS_FIELD_NUMBER << 3 | LEN;
  private static final int TRACE_ID = Span.TRACE_ID_FIELD_NUMBER << 3 | LEN;
  private static final int SPAN_ID = Span.SPAN_ID_FIELD_NUMBER << 3 | LEN;
  private static final int NAME = Span.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int KIND = Span.KIND_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int START = Span.START_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int END = Span.END_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int ATTRIBUTES = Span.ATTRIBUTES_FIELD_NUMBER << 3 | LEN;
  private static final int EVENTS = Span.EVENTS_FIELD_NUMBER << 3 | LEN;
  private static final int KEY = KeyValue.KEY_FIELD_NUMBER << 3 | LEN;
  private static final int VALUE = KeyValue.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int STRING = AnyValue.STRING_VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int BOOL = AnyValue.BOOL_VALUE_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int INT = AnyValue.INT_VALUE_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;
  private static final int DOUBLE = AnyValue.DOUBLE_VALUE_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_FIXED64;
  private static final int BYTES = AnyValue.BYTES_VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int ARRAY = AnyValue.ARRAY_VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int KVLIST = AnyValue.KVLIST_VALUE_FIELD_NUMBER << 3 | LEN;

  /** Keys up to this many bytes are looked up in {@link #keys} before being decoded. */
  private static final int CACHED_MAX = 96;

  private final byte[] body;
  /**
   * Attribute keys repeat on every span of an export: each is decoded and resolved to its
   * {@link SpanKey} once and then recognised by its bytes (values mostly differ, and decoding them
   * straight is faster than a missed lookup). Open addressing, no eviction: once half full, further
   * keys are simply decoded.
   */
  private final CachedKey[] keys = new CachedKey[512];
  private int cached;
  /** The key looked up last, null when it was not cached. */
  private CachedKey last;

  /** What {@link #anyValue} read: a value as {@link Attributes} holds it, or {@link #WHOLE}. */
  private Object value;
  /** The whole number {@link #anyValue} read, when {@link #value} is {@link #WHOLE}. */
  private long whole;
  /** Whether the text {@link #text} decoded last holds a NUL. */
  private boolean nul;

  private static final Object WHOLE = new Object();

  /**
   * A key as read and resolved ({@code bytes} null when it is not cached); {@code next} is the cached
   * key that followed it last (the agent keeps the order).
   */
  private static final class CachedKey {
    final byte[] bytes;
    final String text;
    final SpanKey spanKey;
    CachedKey next;

    CachedKey(byte[] bytes, String text) {
      this.bytes = bytes;
      this.text = text;
      this.spanKey = SpanKey.of(text);
    }
  }

  private ProtobufTraces(byte[] body) {
    this.body = body;
  }

  /**
   * An attribute key of {@code in} (which starts at {@code base} in the body), read where a limit
   * is pushed (inside a KeyValue).
   */
  private CachedKey key(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0 || length > in.getBytesUntilLimit()) {
      throw new InvalidProtocolBufferException("a string's length runs past the end of its message");
    }
    int at = base + in.getTotalBytesRead();
    in.skipRawBytes(length);
    if (length > CACHED_MAX) {
      last = null;
      return new CachedKey(null, decode(at, length));
    }
    // the agent writes a span's keys in the same order on every span: the key that followed the
    // last one last time is tried first, which spares hashing the bytes
    if (last != null) {
      CachedKey guess = last.next;
      if (guess != null && Arrays.equals(guess.bytes, 0, guess.bytes.length, body, at, at + length)) {
        last = guess;
        return guess;
      }
    }
    int hash = 1;
    for (int i = at; i < at + length; i++) {
      hash = 31 * hash + body[i];
    }
    int mask = keys.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      CachedKey known = keys[slot];
      if (known == null) {
        String text = decode(at, length);
        if (cached >= keys.length / 2) {
          last = null;
          return new CachedKey(null, text);
        }
        CachedKey read = new CachedKey(Arrays.copyOfRange(body, at, at + length), text);
        keys[slot] = read;
        cached++;
        follow(read);
        return read;
      }
      if (Arrays.equals(known.bytes, 0, known.bytes.length, body, at, at + length)) {
        follow(known);
        return known;
      }
    }
  }

  /** Records that {@code key} followed the last one looked up. */
  private void follow(CachedKey key) {
    if (last != null) {
      last.next = key;
    }
    last = key;
  }

  /**
   * The text of {@code length} bytes at {@code at}, and in {@link #nul} whether it holds a NUL. Most
   * values are ASCII without NUL, found in one pass and copied as Latin-1; the rest are decoded
   * strictly.
   */
  private String text(int at, int length) throws InvalidProtocolBufferException {
    int end = at + length;
    for (int i = at; i < end; i++) {
      if (body[i] <= 0) {
        String text = decode(at, length);
        nul = text.indexOf('\0') >= 0;
        return text;
      }
    }
    nul = false;
    return new String(body, at, length, StandardCharsets.ISO_8859_1);
  }

  /**
   * A string field of {@code in} (which starts at {@code base} in the body), read where a limit is
   * pushed; see {@link #text(int, int)}.
   */
  private String text(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0 || length > in.getBytesUntilLimit()) {
      throw new InvalidProtocolBufferException("a string's length runs past the end of its message");
    }
    int at = base + in.getTotalBytesRead();
    in.skipRawBytes(length);
    return text(at, length);
  }

  /** Protobuf strings must be valid UTF-8, as the message parser checks too. */
  private String decode(int at, int length) throws InvalidProtocolBufferException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body, at, length)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
    }
  }

  /** The rows of an {@code ExportTraceServiceRequest}; a malformed body is an {@link InvalidProtocolBufferException}. */
  static TraceMapper.Result read(byte[] body) throws InvalidProtocolBufferException {
    TraceMapper.Rows rows = new TraceMapper.Rows();
    ProtobufTraces reader = new ProtobufTraces(body);
    try {
      CodedInputStream in = reader.input(0, body.length);
      for (int tag; (tag = in.readTag()) != 0; ) {
        if (tag == RESOURCE_SPANS) {
          int length = length(in, body.length);
          reader.resourceSpans(in.getTotalBytesRead(), length, rows);
          in.skipRawBytes(length);
        } else {
          in.skipField(tag);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidProtocolBufferException(e);
    }
    return rows.result();
  }

  /**
   * A length-delimited field's length, checked against the end of the message {@code in} reads
   * ({@code size} bytes): a nested message is read from its own stream over the body.
   */
  private static int length(CodedInputStream in, int size) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0 || length > size - in.getTotalBytesRead()) {
      throw new InvalidProtocolBufferException("a field's length runs past the end of its message");
    }
    return length;
  }

  /** Ids alias the body instead of being copied: they are turned into hex right away. */
  private CodedInputStream input(int offset, int length) {
    CodedInputStream in = CodedInputStream.newInstance(body, offset, length);
    in.enableAliasing(true);
    return in;
  }

  /** The resource may follow its spans on the wire, so the spans are read once the message is. */
  private void resourceSpans(int offset, int length, TraceMapper.Rows rows) throws IOException {
    CodedInputStream in = input(offset, length);
    Attributes resource = Attributes.empty();
    int[] scopes = new int[8];
    int count = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == RESOURCE) {
        int limit = in.pushLimit(in.readRawVarint32());
        for (int t; (t = in.readTag()) != 0; ) {
          if (t == RESOURCE_ATTRIBUTES) {
            keyValue(in, offset, resource);
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else if (tag == SCOPE_SPANS) {
        int scopeLength = length(in, length);
        if (count + 2 > scopes.length) {
          scopes = Arrays.copyOf(scopes, scopes.length * 2);
        }
        scopes[count++] = offset + in.getTotalBytesRead();
        scopes[count++] = scopeLength;
        in.skipRawBytes(scopeLength);
      } else {
        in.skipField(tag);
      }
    }
    String service = Attributes.serviceName(resource);
    for (int i = 0; i < count; i += 2) {
      scopeSpans(scopes[i], scopes[i + 1], service, rows);
    }
  }

  private void scopeSpans(int offset, int length, String service, TraceMapper.Rows rows) throws IOException {
    CodedInputStream in = input(offset, length);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == SPANS) {
        int spanLength = length(in, length);
        span(offset + in.getTotalBytesRead(), spanLength, service, rows);
        in.skipRawBytes(spanLength);
      } else {
        in.skipField(tag);
      }
    }
  }

  private void span(int offset, int length, String service, TraceMapper.Rows rows) throws IOException {
    CodedInputStream in = input(offset, length);
    ByteString traceId = ByteString.EMPTY;
    ByteString spanId = ByteString.EMPTY;
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    Attributes attrs = Attributes.empty();
    for (int tag; (tag = in.readTag()) != 0; ) {
      switch (tag) {
        case TRACE_ID -> traceId = in.readBytes();
        case SPAN_ID -> spanId = in.readBytes();
        case NAME -> {
          int nameLength = length(in, length);
          name = text(offset + in.getTotalBytesRead(), nameLength);
          in.skipRawBytes(nameLength);
        }
        case KIND -> kind = in.readEnum();
        case START -> start = in.readFixed64();
        case END -> end = in.readFixed64();
        case ATTRIBUTES -> keyValue(in, offset, attrs);
        case EVENTS -> {
          rows.add(service, Span.parseFrom(input(offset, length)));
          return;
        }
        default -> in.skipField(tag);
      }
    }
    if (!TraceMapper.validIds(traceId, spanId)) {
      rows.reject();
      return;
    }
    rows.spanRows(service, traceId, spanId, name, kind == Span.SpanKind.SPAN_KIND_SERVER_VALUE, start, end, attrs, 0,
        false);
  }

  /** One KeyValue into {@code attrs}; {@code base} is where {@code in} starts in the body. */
  private void keyValue(CodedInputStream in, int base, Attributes attrs) throws IOException {
    int limit = in.pushLimit(in.readRawVarint32());
    CachedKey key = NO_KEY;
    value = null;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag == KEY) {
        key = key(in, base);
      } else if (tag == VALUE) {
        anyValue(in, base);
      } else {
        in.skipField(tag);
      }
    }
    in.popLimit(limit);
    if (value == WHOLE) {
      attrs.addWhole(key.text, key.spanKey, whole);
    } else if (value instanceof String text) {
      attrs.addText(key.text, key.spanKey, text, nul);
    } else {
      attrs.add(key.text, key.spanKey, value);
    }
  }

  private static final CachedKey NO_KEY = new CachedKey(null, "");

  /**
   * A value into {@link #value}: a scalar as its Java value (text with {@link #nul} set, a whole
   * number as {@link #WHOLE} and {@link #whole}); an array or map (rare) as the parsed {@link AnyValue}.
   */
  private void anyValue(CodedInputStream in, int base) throws IOException {
    int length = in.readRawVarint32();
    int start = base + in.getTotalBytesRead();
    int limit = in.pushLimit(length);
    Object read = null;
    boolean nested = false;
    for (int tag; (tag = in.readTag()) != 0; ) {
      // a oneof: the last value on the wire counts
      switch (tag) {
        case STRING -> read = text(in, base);
        case BOOL -> read = in.readBool();
        case INT -> {
          whole = in.readInt64();
          read = WHOLE;
        }
        case DOUBLE -> read = in.readDouble();
        case BYTES -> read = in.readBytes();
        case ARRAY, KVLIST -> {
          in.skipField(tag);
          read = null;
          nested = true;
          continue;
        }
        default -> {
          in.skipField(tag);
          continue;
        }
      }
      nested = false;
    }
    in.popLimit(limit);
    value = nested ? AnyValue.parseFrom(input(start, length)) : read;
  }
}
