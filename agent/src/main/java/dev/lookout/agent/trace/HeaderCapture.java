package dev.lookout.agent.trace;

import dev.lookout.agent.redact.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  /** Told each header's attribute name and its values (masked when secret). */
  public interface Visitor {
    void header(String attribute, List<String> values);
  }

  public void forEach(String[] pairs, Visitor visitor) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!repeated(pairs, i)) {
        Header h = header(pairs[i]);
        visitor.header(h.attribute, values(pairs, i, h));
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

  /** The values of the name at {@code first} and of its later repeats, masked when secret. */
  private static List<String> values(String[] pairs, int first, Header h) {
    String name = pairs[first];
    List<String> more = null;
    for (int j = first + 2; j + 1 < pairs.length; j += 2) {
      if (name.equalsIgnoreCase(pairs[j])) {
        if (more == null) {
          more = new ArrayList<>(4);
          more.add(value(h, pairs[first + 1]));
        }
        more.add(value(h, pairs[j + 1]));
      }
    }
    return more != null ? more : Collections.singletonList(value(h, pairs[first + 1]));
  }

  private static String value(Header h, String value) {
    return h.secret ? Redactor.MASK : value;
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
