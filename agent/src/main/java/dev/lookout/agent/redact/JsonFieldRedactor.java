package dev.lookout.agent.redact;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of secret fields in JSON text, at any depth, without parsing it as a whole: a
 * captured body may be cut off at the capture cap, and a cut-off value is masked as well. Whatever
 * the value (string, number, array, object), it becomes {@code "***"}.
 */
final class JsonFieldRedactor {

  /**
   * A quoted key and its colon. Written as an unrolled loop with possessive quantifiers: the
   * alternation form recurses once per character in java.util.regex and overflows the stack on
   * long strings.
   */
  private static final Pattern KEY = Pattern.compile("\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"\\s*+:\\s*+");

  private final Redactor names;

  JsonFieldRedactor(Redactor names) {
    this.names = names;
  }

  String redact(String json) {
    if (json == null || json.isEmpty()) {
      return json;
    }
    Matcher m = KEY.matcher(json);
    StringBuilder out = null;
    int last = 0;
    int from = 0;
    while (from < json.length() && m.find(from)) {
      int valueStart = m.end();
      if (!names.isSecretParam(m.group(1))) {
        from = valueStart; // nested objects and arrays are searched as well
        continue;
      }
      int valueEnd = valueEnd(json, valueStart);
      if (out == null) {
        out = new StringBuilder(json.length());
      }
      out.append(json, last, valueStart).append('"').append(Redactor.MASK).append('"');
      last = valueEnd;
      from = valueEnd;
    }
    return out == null ? json : out.append(json, last, json.length()).toString();
  }

  /** Where the JSON value starting at {@code i} ends, or the end of the text when it was cut off. */
  private static int valueEnd(String s, int i) {
    if (i >= s.length()) {
      return i;
    }
    char c = s.charAt(i);
    if (c == '"') {
      return stringEnd(s, i);
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      for (int j = i; j < s.length(); j++) {
        char d = s.charAt(j);
        if (d == '"') {
          j = stringEnd(s, j) - 1;
        } else if (d == '{' || d == '[') {
          depth++;
        } else if ((d == '}' || d == ']') && --depth == 0) {
          return j + 1;
        }
      }
      return s.length();
    }
    int j = i;
    while (j < s.length() && ",}] \t\r\n".indexOf(s.charAt(j)) < 0) {
      j++;
    }
    return j;
  }

  /** Just past the closing quote of the string opening at {@code i}. */
  private static int stringEnd(String s, int i) {
    for (int j = i + 1; j < s.length(); j++) {
      char d = s.charAt(j);
      if (d == '\\') {
        j++;
      } else if (d == '"') {
        return j + 1;
      }
    }
    return s.length();
  }
}
