package dev.lookout.agent.export;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A protobuf writer into one growable array, reused batch after batch by the export thread. Nested
 * messages are written in place: {@link #begin} reserves room for the length (one byte, or as many as
 * the caller expects), {@link #end} writes the real length and, when it takes another number of bytes,
 * moves the body (canonical varints, so any OTLP receiver reads it).
 */
final class ProtoWriter {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH = 2;
  static final int FIXED32 = 5;

  private final int initial;
  private byte[] buf;
  private int pos;

  ProtoWriter() {
    this(64 * 1024);
  }

  ProtoWriter(int initial) {
    this.initial = initial;
    this.buf = new byte[initial];
  }

  void reset() {
    pos = 0;
    if (buf.length > 8 << 20) {
      buf = new byte[initial]; // one huge batch does not keep its array for ever
    }
  }

  int size() {
    return pos;
  }

  /** Drops what was written after {@code size} (a {@link #size()} taken before). */
  void truncate(int size) {
    if (size >= 0 && size < pos) {
      pos = size;
    }
  }

  /** The array written into, valid from 0 to {@link #size()} until the next write or reset. */
  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** The bytes written since {@code start} (a {@link #size()} taken before), as an array of their own. */
  byte[] copyFrom(int start) {
    return Arrays.copyOfRange(buf, start, pos);
  }

  /**
   * Grows by half: from 64 KiB the steps are 96, 144, 216, 324 and 486 KiB, so a request held to
   * {@code TelemetryPipeline.EXPORT_BATCH_BYTES} stays in an array under 512 KiB. G1 places an array of
   * half a region or more (512 KiB with its smallest, 1 MiB regions) in regions of its own, each one
   * resident as a whole; doubling to 512 KiB, 1 and 2 MiB made each writer 3 MiB of the heap.
   */
  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length + (buf.length >> 1), pos + more));
    }
  }

  void tag(int field, int wireType) {
    varint((field << 3) | wireType);
  }

  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  void fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void fixed32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  void fixed64Field(int field, long v) {
    tag(field, FIXED64);
    fixed64(v);
  }

  void varintField(int field, long v) {
    tag(field, VARINT);
    varint(v);
  }

  /** Big-endian bytes of a 64-bit id (trace and span ids), as a length-delimited field. */
  void idField(int field, long high, long low, boolean sixteen) {
    tag(field, LENGTH);
    varint(sixteen ? 16 : 8);
    ensure(16);
    if (sixteen) {
      bigEndian(high);
    }
    bigEndian(low);
  }

  private void bigEndian(long v) {
    for (int i = 7; i >= 0; i--) {
      buf[pos++] = (byte) (v >>> (8 * i));
    }
  }

  /** What another writer holds, as it is. */
  void raw(ProtoWriter other) {
    ensure(other.pos);
    System.arraycopy(other.buf, 0, buf, pos, other.pos);
    pos += other.pos;
  }

  /** A field whose bytes were encoded before (a constant key, the resource). */
  void raw(byte[] bytes) {
    raw(bytes, bytes.length);
  }

  /** The first {@code length} bytes of {@code bytes}, encoded before. */
  void raw(byte[] bytes, int length) {
    ensure(length);
    System.arraycopy(bytes, 0, buf, pos, length);
    pos += length;
  }

  void stringField(int field, String s) {
    tag(field, LENGTH);
    string(s);
  }

  /**
   * A string's UTF-8 bytes with their length. The JDK's encoder is the fast way for the common case:
   * for ASCII text it checks and copies the string's bytes in bulk (vectorised), where a loop over
   * its chars costs a bounds check a char.
   */
  void string(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    varint(utf8.length);
    raw(utf8);
  }

  /** Starts a length-delimited nested message; returns the mark {@link #end} needs. */
  int begin(int field) {
    return begin(field, 1);
  }

  /**
   * Starts a nested message whose length will most likely take {@code reserve} bytes (2 for a span,
   * 3 for a batch's wrappers): {@link #end(int, int)} with the same reserve then moves nothing when
   * the guess was right, where a one-byte reserve moves the whole body up once per enclosing level.
   */
  int begin(int field, int reserve) {
    tag(field, LENGTH);
    ensure(reserve);
    int mark = pos;
    pos += reserve;
    return mark;
  }

  /** Ends the message started at {@code mark}: its length goes in front of it. */
  void end(int mark) {
    end(mark, 1);
  }

  /** Ends a message begun with {@link #begin(int, int)} and the same {@code reserve}. */
  void end(int mark, int reserve) {
    int length = pos - mark - reserve;
    int size = varintSize(length);
    if (size != reserve) { // canonical varints: the body moves to where its length ends
      if (size > reserve) {
        ensure(size - reserve);
      }
      System.arraycopy(buf, mark + reserve, buf, mark + size, length);
      pos += size - reserve;
    }
    int p = mark;
    long v = length;
    while ((v & ~0x7FL) != 0) {
      buf[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[p] = (byte) v;
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  /** The bytes of one field written alone, for constants encoded once. */
  static byte[] encode(java.util.function.Consumer<ProtoWriter> write) {
    ProtoWriter w = new ProtoWriter();
    write.accept(w);
    return w.toByteArray();
  }
}
