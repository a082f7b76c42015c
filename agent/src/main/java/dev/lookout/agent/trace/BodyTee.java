package dev.lookout.agent.trace;

import java.nio.ByteBuffer;

/**
 * The first bytes of one request or response body, copied as the application reads or writes
 * them, and a count of all of them. Nothing past the cap is kept, so a large or streamed body costs
 * at most {@code cap} bytes; the application's own buffers are only read.
 *
 * <p>{@link #enter} / {@link #leave} guard against counting a byte twice when one stream method
 * calls another (or a writer writes through the stream it wraps): only the outermost call records.
 * Reads and writes of one body happen on one thread at a time; the lock only orders them against the
 * end of the request, which may run on another thread.
 */
final class BodyTee {

  private final int cap;
  private byte[] buffer;
  private int length;
  private long total;
  /** The bytes came from a {@code PrintWriter} and are this class's UTF-8 encoding of its characters. */
  private boolean fromWriter;
  private char highSurrogate;
  private boolean inside;
  /** Nothing more is kept (the cap was reached, possibly before a character that did not fit whole). */
  private boolean full;

  BodyTee(int cap) {
    this.cap = cap;
  }

  /** This tee when the call about to run is the outermost read or write; otherwise null. */
  BodyTee enter() {
    if (inside) {
      return null;
    }
    inside = true;
    return this;
  }

  void leave() {
    inside = false;
  }

  synchronized void add(byte[] bytes, int offset, int count) {
    if (count <= 0) {
      return;
    }
    total += count;
    int n = Math.min(count, room(count));
    if (n > 0) {
      System.arraycopy(bytes, offset, buffer, length, n);
      length += n;
    }
  }

  synchronized void add(int b) {
    total++;
    if (room(1) > 0) {
      buffer[length++] = (byte) b;
    }
  }

  /** The bytes between {@code from} and the buffer's position, read without moving it. */
  synchronized void add(ByteBuffer source, int from) {
    int count = source.position() - from;
    if (count <= 0) {
      return;
    }
    total += count;
    int n = Math.min(count, room(count));
    for (int i = 0; i < n; i++) {
      buffer[length++] = source.get(from + i);
    }
  }

  /**
   * Characters written to the response writer, kept as UTF-8. Past the cap they are only counted,
   * one per character, so that a large response costs no encoding work.
   */
  synchronized void add(CharSequence text, char[] chars, int offset, int count) {
    if (count <= 0) {
      return;
    }
    fromWriter = true;
    int i = 0;
    for (; i < count && !full && length < cap; i++) {
      encode(text != null ? text.charAt(offset + i) : chars[offset + i]);
    }
    total += count - i;
  }

  synchronized void addChar(int c) {
    fromWriter = true;
    if (!full && length < cap) {
      encode((char) c);
    } else {
      total++;
    }
  }

  private void encode(char c) {
    int cp = c;
    if (Character.isHighSurrogate(c)) {
      highSurrogate = c;
      return;
    }
    if (Character.isLowSurrogate(c) && highSurrogate != 0) {
      cp = Character.toCodePoint(highSurrogate, c);
    }
    highSurrogate = 0;
    int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    total += n;
    if (room(n) < n) {
      full = true; // a character that does not fit whole is not cut in half: the body ends before it
      return;
    }
    if (n == 1) {
      buffer[length++] = (byte) cp;
      return;
    }
    if (n == 4) {
      buffer[length++] = (byte) (0xF0 | (cp >> 18));
      buffer[length++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
    } else if (n == 3) {
      buffer[length++] = (byte) (0xE0 | (cp >> 12));
    } else {
      buffer[length++] = (byte) (0xC0 | (cp >> 6));
    }
    if (n >= 3) {
      buffer[length++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
    }
    buffer[length++] = (byte) (0x80 | (cp & 0x3F));
  }

  /** Room left for up to {@code wanted} more bytes, growing the buffer toward the cap as needed. */
  private int room(int wanted) {
    int room = cap - length;
    if (room <= 0 || full) {
      return 0;
    }
    int needed = length + Math.min(wanted, room);
    if (buffer == null || buffer.length < needed) {
      int size = Math.min(cap, Math.max(needed, buffer == null ? 512 : buffer.length * 2));
      byte[] grown = new byte[size];
      if (buffer != null) {
        System.arraycopy(buffer, 0, grown, 0, length);
      }
      buffer = grown;
    }
    return room;
  }

  synchronized long total() {
    return total;
  }

  synchronized boolean truncated() {
    return total > length;
  }

  synchronized boolean fromWriter() {
    return fromWriter;
  }

  synchronized byte[] captured() {
    return buffer == null ? new byte[0] : java.util.Arrays.copyOf(buffer, length);
  }
}
