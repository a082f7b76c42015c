package dev.lookout.collector;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human byte sizes: {@code 16MB}, {@code 512kb}, {@code 1GB}, {@code 4096}. Binary multiples. */
public final class ByteSizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

  private ByteSizes() {}

  public static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + value + "' (examples: 16MB, 512kb, 1GB)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "k": return n << 10;
      case "m": return n << 20;
      case "g": return n << 30;
      case "t": return n << 40;
      default: return n;
    }
  }
}
