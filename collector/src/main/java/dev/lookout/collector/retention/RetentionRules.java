package dev.lookout.collector.retention;

import dev.lookout.collector.store.RecordKind;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --retention} and {@code --max-rows}: a value for all signals, per-signal values, or both
 * ({@code 7d}, {@code requests=7d,logs=3d,io=1d}, {@code 14d,logs=2d}).
 */
public final class RetentionRules {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

  private final Map<RecordKind, Long> maxAgeMs;
  private final Map<RecordKind, Long> maxRows;

  private RetentionRules(Map<RecordKind, Long> maxAgeMs, Map<RecordKind, Long> maxRows) {
    this.maxAgeMs = maxAgeMs;
    this.maxRows = maxRows;
  }

  public static RetentionRules parse(String retention, String maxRows) {
    return new RetentionRules(perSignal(retention, RetentionRules::durationMs),
        maxRows == null || maxRows.isBlank() ? new EnumMap<>(RecordKind.class) : perSignal(maxRows, RetentionRules::count));
  }

  private interface ValueParser {
    long parse(String text);
  }

  private static Map<RecordKind, Long> perSignal(String spec, ValueParser parser) {
    Map<RecordKind, Long> out = new EnumMap<>(RecordKind.class);
    Long all = null;
    for (String part : spec.split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      if (eq < 0) {
        all = parser.parse(p);
      } else {
        out.put(RecordKind.ofSignal(p.substring(0, eq)), parser.parse(p.substring(eq + 1).trim()));
      }
    }
    if (all != null) {
      for (RecordKind s : RecordKind.values()) {
        out.putIfAbsent(s, all);
      }
    }
    return out;
  }

  static long durationMs(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 7d, 12h, 30m)");
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return n;
      case "s": return n * 1000;
      case "m": return n * 60_000;
      case "h": return n * 3_600_000;
      case "d": return n * 86_400_000;
      default: return n * 7 * 86_400_000;
    }
  }

  static long count(String text) {
    try {
      long n = Long.parseLong(text.trim().replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a row count: '" + text + "'");
    }
  }

  /** Maximum age in ms, or null when the signal is kept forever (within the size cap). */
  public Long maxAgeMs(RecordKind s) {
    return maxAgeMs.get(s);
  }

  public Long maxRows(RecordKind s) {
    return maxRows.get(s);
  }

  /** The longest of the ages: how long the per-minute request rollups are kept. */
  public long longestAgeMs() {
    return maxAgeMs.values().stream().mapToLong(Long::longValue).max().orElse(Long.MAX_VALUE);
  }
}
