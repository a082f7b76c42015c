package dev.lookout.collector.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A seeded mutation fuzzer: takes valid inputs and damages them the ways real bugs and hostile
 * clients do (flipped bits, cut or spliced bytes, repeated chunks, varint and length-prefix
 * overflow, tokens swapped in text). The same seed yields the same inputs, so a failure printed
 * with its seed can be replayed with {@code -Dlookout.fuzz.seed=…}.
 */
public final class Mutator {

  /** Bytes that matter to protobuf (varint continuation, field tags, wire types) and to JSON. */
  private static final byte[] INTERESTING = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, 0x0a, 0x12, 0x1a, 0x22,
      0x08, 0x10, 0x0f, 0x0d, 0x09, '"', '{', '}', '[', ']', ',', ':', '\\', '0', '-', 'e'};
  /** Text that JSON decoders, hex id converters and number parsers stumble over. */
  private static final String[] TOKENS = {"null", "true", "-1", "1e999", "-0", "\"\"", "\"zz\"", "{}", "[]",
      "\"\\u0000\"", "\"\\ud800\"", "18446744073709551616", "\"9223372036854775808\"", "NaN", "\"é\"", "[[[[[[[[",
      "{\"a\":", "\"0102\"", "\"00000000000000000000000000000000\"", "\"ffffffffffffffffffffffffffffffffff\"",
      "0.5", "\"NaN\"", "\"1.5\"", "\"\\\\\"", "123456789012345678901234567890"};

  private static final String PUNCTUATION = "%&=?#+;/\\'\"<>*[](){}|^$.";

  private final SplittableRandom random;

  public Mutator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The seed for a run: {@code -Dlookout.fuzz.seed} to replay one, otherwise a new one. */
  public static long seed() {
    String given = System.getProperty("lookout.fuzz.seed");
    return given != null ? Long.parseLong(given) : System.nanoTime();
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  /**
   * One to four stacked mutations of {@code valid}; one in half the cases, so that many inputs
   * still decode and reach the mappers behind the decoder.
   */
  public byte[] mutate(byte[] valid) {
    byte[] b = valid;
    for (int n = random.nextBoolean() ? 1 : 1 + random.nextInt(4); n > 0; n--) {
      b = mutateOnce(b);
    }
    return b;
  }

  private byte[] mutateOnce(byte[] b) {
    if (b.length == 0) {
      return randomBytes(1 + random.nextInt(64));
    }
    int at = random.nextInt(b.length);
    switch (random.nextInt(9)) {
      case 0: { // flip a bit
        byte[] c = b.clone();
        c[at] ^= (byte) (1 << random.nextInt(8));
        return c;
      }
      case 1: // cut short
        return Arrays.copyOf(b, at);
      case 2: { // overwrite with an interesting byte
        byte[] c = b.clone();
        c[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        return c;
      }
      case 3: { // delete a run
        int len = Math.min(b.length - at, 1 + random.nextInt(16));
        byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + len, c, at, b.length - at - len);
        return c;
      }
      case 4: // insert random bytes
        return insert(b, at, randomBytes(1 + random.nextInt(16)));
      case 5: { // repeat a chunk (nesting, duplicate fields)
        int len = Math.min(b.length - at, 1 + random.nextInt(64));
        byte[] chunk = Arrays.copyOfRange(b, at, at + len);
        byte[] c = b;
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
          c = insert(c, at, chunk);
        }
        return c;
      }
      case 6: // a varint that never ends or claims a huge length
        return insert(b, at, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f});
      case 7: // a text token in place of whatever was there
        return insert(Arrays.copyOf(b, at), at,
            concat(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8),
                Arrays.copyOfRange(b, Math.min(b.length, at + 1 + random.nextInt(8)), b.length)));
      default: // splice with itself at another place
        int from = random.nextInt(b.length);
        return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, from, b.length));
    }
  }

  public byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) random.nextInt(256);
    }
    return b;
  }

  /** Random text of the given length, mixing ASCII, punctuation, controls, and characters beyond the BMP. */
  public String randomText(int n) {
    StringBuilder s = new StringBuilder(n);
    while (s.length() < n) {
      switch (random.nextInt(6)) {
        case 0 -> s.append((char) (0x20 + random.nextInt(0x5f)));
        case 1 -> s.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
        case 2 -> s.append((char) random.nextInt(0x20));
        case 3 -> s.appendCodePoint(0x1F600 + random.nextInt(64));
        case 4 -> s.append((char) (0xa0 + random.nextInt(0x500)));
        default -> s.append((char) ('0' + random.nextInt(10)));
      }
    }
    return s.toString();
  }

  public static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] insert(byte[] b, int at, byte[] extra) {
    byte[] c = new byte[b.length + extra.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(extra, 0, c, at, extra.length);
    System.arraycopy(b, at, c, at + extra.length, b.length - at);
    return c;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
