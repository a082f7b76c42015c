package dev.lookout.collector.store.backend;

import java.util.regex.Pattern;

/**
 * Path globs as SQLite's GLOB reads them ({@code *} any run, {@code ?} one character, {@code [..]}
 * a class), so that a filter means the same in SQL and in the live stream.
 */
public final class Globs {

  private Globs() {}

  public static Pattern toRegex(String glob) {
    return Pattern.compile(translate(glob, (ch, re) -> re.append(Pattern.quote(String.valueOf(ch)))), Pattern.DOTALL);
  }

  /**
   * The same glob as a PostgreSQL (ARE) regex for {@code ~}: anchored at both ends, every
   * character outside a class escaped, since ARE has no {@code \Q…\E} quoting.
   */
  public static String toPosixRegex(String glob) {
    return "^" + translate(glob, (ch, re) -> {
      if (Character.isLetterOrDigit(ch)) {
        re.append(ch);
      } else {
        re.append('\\').append(ch); // an escaped non-alphanumeric is that character in ARE
      }
    }) + "$";
  }

  /** How a regex dialect writes one literal character. */
  private interface Literal {
    void append(char ch, StringBuilder re);
  }

  /** The glob's wildcards and classes as regex; everything else through {@code literal}. */
  private static String translate(String glob, Literal literal) {
    StringBuilder re = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < glob.length(); i++) {
      char ch = glob.charAt(i);
      if (inClass) {
        if (ch == ']') {
          inClass = false;
          re.append(']');
        } else if (ch == '^' && glob.charAt(i - 1) == '[') {
          re.append('^');
        } else {
          re.append(ch == '\\' ? "\\\\" : String.valueOf(ch));
        }
        continue;
      }
      switch (ch) {
        case '*': re.append(".*"); break;
        case '?': re.append('.'); break;
        case '[':
          inClass = true;
          re.append('[');
          break;
        default: literal.append(ch, re);
      }
    }
    return re.toString();
  }
}
