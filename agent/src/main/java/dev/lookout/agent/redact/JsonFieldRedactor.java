package dev.lookout.agent.redact;

import java.util.Set;

/**
 * Masks the values of secret fields in JSON text, at any depth, without parsing it as a whole: a
 * captured body may be cut off at the capture cap, and a cut-off value is masked as well. Whatever
 * the value (string, number, array, object), it becomes {@code "***"}. One pass, no regular
 * expression: it runs on the request thread as the request ends.
 */
final class JsonFieldRedactor {

  private final String[] names;

  JsonFieldRedactor(Set<String> names) {
    this.names = names.toArray(new String[0]);
  }

  String redact(String json) {
    if (json == null || json.isEmpty() || names.length == 0) {
      return json;
    }
    StringBuilder out = null;
    int last = 0;
    int n = json.length();
    int i = 0;
    while (i < n) {
      if (json.charAt(i) != '"') {
        i++;
        continue;
      }
      int end = stringEnd(json, i);
      int colon = skipSpaces(json, end);
      if (end > n || colon >= n || json.charAt(colon) != ':') {
        i = end; // a string value (or a cut-off key): skipped whole
        continue;
      }
      if (!isSecret(json, i + 1, end - 1)) {
        i = colon + 1; // nested objects and arrays are searched as well
        continue;
      }
      int valueStart = skipSpaces(json, colon + 1);
      int valueEnd = valueEnd(json, valueStart);
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(json, last, valueStart).append('"').append(Redactor.MASK).append('"');
      last = valueEnd;
      i = valueEnd;
    }
    return out == null ? json : out.append(json, last, n).toString();
  }

  private boolean isSecret(String s, int start, int end) {
    int length = end - start;
    for (String name : names) {
      if (name.length() == length && s.regionMatches(true, start, name, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Where the JSON value starting at {@code i} ends, or the end of the text when it was cut off. */
  private static int valueEnd(String s, int i) {
    if (i >= s.length()) {
      return i;
    }
    char c = s.charAt(i);
    if (c == '"') {
      return Math.min(stringEnd(s, i), s.length());
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

  /** Just past the closing quote of the string opening at {@code i}; past the end of the text when it was cut off. */
  private static int stringEnd(String s, int i) {
    for (int j = i + 1; j < s.length(); j++) {
      char d = s.charAt(j);
      if (d == '\\') {
        j++;
      } else if (d == '"') {
        return j + 1;
      }
    }
    return s.length() + 1;
  }
}
