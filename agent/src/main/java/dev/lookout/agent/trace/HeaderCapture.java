package dev.lookout.agent.trace;

import dev.lookout.agent.redact.Redactor;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Header name/value pairs to {@code <prefix><lower-case name>} string-array attributes, secrets
 * masked, put into the span's attributes on the export thread. A header sent more than once becomes one attribute with every value, in order.
 */
public final class HeaderCapture {

  /** Names as the container spelled them; bounded, since clients choose header names. */
  private static final int MAX_CACHED_NAMES = 512;

  /** What a header name resolves to: its attribute name and whether its values are masked. */
  private static final class Header {
    final String attribute;
    final boolean secret;

    Header(String attribute, boolean secret) {
      this.attribute = attribute;
      this.secret = secret;
    }
  }

  private final String prefix;
  private final Redactor redactor;
  private final ConcurrentHashMap<String, Header> names = new ConcurrentHashMap<>();

  public HeaderCapture(String prefix, Redactor redactor) {
    this.prefix = prefix;
    this.redactor = redactor;
  }

  /**
   * Told each header name once, in order, with its attribute name; its values are the value at
   * {@code first + 1} and those of its later repeats (see {@link #values}), masked when
   * {@code secret}. Nothing is collected in between: the encoder writes them as it walks.
   */
  public interface Visitor {
    void header(String attribute, String[] pairs, int first, boolean secret);
  }

  /** {@code pairs} ends at the array's end or at its first null name. */
  public void forEach(String[] pairs, Visitor visitor) {
    for (int i = 0; i + 1 < pairs.length && pairs[i] != null; i += 2) {
      if (!repeated(pairs, i)) {
        Header h = header(pairs[i]);
        visitor.header(h.attribute, pairs, i, h.secret);
      }
    }
  }

  /** True when the name at {@code i} already came earlier: its values were taken there. */
  private static boolean repeated(String[] pairs, int i) {
    String name = pairs[i];
    for (int j = 0; j < i; j += 2) {
      if (name.equalsIgnoreCase(pairs[j])) {
        return true;
      }
    }
    return false;
  }

  /** Whether the pair at {@code j} (at or after {@code first}) is a value of the header named at {@code first}. */
  public static boolean sameHeader(String[] pairs, int first, int j) {
    return j == first || pairs[first].equalsIgnoreCase(pairs[j]);
  }

  /** The value of the pair at {@code j}, masked when secret; a header without a value has an empty one. */
  public static String value(String[] pairs, int j, boolean secret) {
    String v = pairs[j + 1];
    return secret ? Redactor.MASK : v != null ? v : "";
  }

  private Header header(String name) {
    Header h = names.get(name);
    if (h == null) {
      String lower = name.toLowerCase(Locale.ROOT);
      h = new Header(prefix + lower, redactor.isSecretHeader(lower));
      if (names.size() < MAX_CACHED_NAMES) {
        names.putIfAbsent(name, h);
      }
    }
    return h;
  }
}
