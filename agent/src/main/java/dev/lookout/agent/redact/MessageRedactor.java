package dev.lookout.agent.redact;

import java.util.Set;

/**
 * Masks secrets inside free text (log messages, exception messages and stack traces, text bodies):
 * {@code password=…}, {@code token: …}, {@code "api_key":"…"} and {@code <secret>…</secret>} for
 * the configured parameter names, {@code Authorization: …} to the end of the line for the
 * configured header names, and bearer / basic credentials wherever they appear.
 *
 * <p>A single pass that looks only at {@code = : <} and at words starting with {@code b}: it runs
 * for every captured log record, and a regular expression of all the names, tried at every
 * position, cost tens of microseconds per ordinary log line.
 */
final class MessageRedactor {

  private final String[] params;
  private final String[] headers;
  private final int longestName;

  MessageRedactor(Set<String> headers, Set<String> params) {
    this.params = params.toArray(new String[0]);
    this.headers = headers.toArray(new String[0]);
    int longest = 0;
    for (String n : this.params) {
      longest = Math.max(longest, n.length());
    }
    for (String n : this.headers) {
      longest = Math.max(longest, n.length());
    }
    this.longestName = longest;
  }

  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    StringBuilder out = null;
    int last = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      int valueStart = -1;
      int valueEnd = -1;
      if (c == '=' || c == ':') {
        int nameEnd = i;
        while (nameEnd > 0 && text.charAt(nameEnd - 1) == ' ') {
          nameEnd--;
        }
        if (nameEnd > 0 && (text.charAt(nameEnd - 1) == '"' || text.charAt(nameEnd - 1) == '\'')) {
          nameEnd--;
        }
        int nameStart = nameStart(text, nameEnd);
        boolean header = matches(headers, text, nameStart, nameEnd);
        if (header || matches(params, text, nameStart, nameEnd)) {
          valueStart = skipSpaces(text, i + 1);
          valueEnd = header ? lineEnd(text, valueStart) : paramValueEnd(text, valueStart);
        }
      } else if (c == '<') {
        int nameEnd = nameEnd(text, i + 1);
        if (nameEnd < n && (text.charAt(nameEnd) == '>' || text.charAt(nameEnd) == ' ')
            && (matches(params, text, i + 1, nameEnd) || matches(headers, text, i + 1, nameEnd))) {
          int close = text.indexOf('>', nameEnd);
          if (close > 0) {
            valueStart = close + 1;
            int next = text.indexOf('<', valueStart);
            valueEnd = next < 0 ? n : next;
          }
        }
      } else if ((c == 'b' || c == 'B') && (i == 0 || !isNameChar(text.charAt(i - 1)))) {
        int word = text.regionMatches(true, i, "bearer ", 0, 7) ? 7 : text.regionMatches(true, i, "basic ", 0, 6) ? 6 : 0;
        if (word > 0) {
          int start = skipSpaces(text, i + word);
          int end = start;
          while (end < n && isCredentialChar(text.charAt(end))) {
            end++;
          }
          if (end - start >= 6) {
            valueStart = start;
            valueEnd = end;
          }
        }
      }
      if (valueStart >= 0 && valueEnd > valueStart) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(text, last, valueStart).append(mask(text.charAt(valueStart)));
        last = valueEnd;
        i = valueEnd - 1;
      }
    }
    return out == null ? text : out.append(text, last, n).toString();
  }

  private boolean matches(String[] names, String text, int start, int end) {
    int length = end - start;
    if (length <= 0 || length > longestName) {
      return false;
    }
    for (String name : names) {
      if (name.length() == length && text.regionMatches(true, start, name, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static int nameStart(String text, int end) {
    int s = end;
    while (s > 0 && isNameChar(text.charAt(s - 1))) {
      s--;
    }
    return s;
  }

  private static int nameEnd(String text, int start) {
    int e = start;
    while (e < text.length() && isNameChar(text.charAt(e))) {
      e++;
    }
    return e;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  private static boolean isCredentialChar(char c) {
    return isNameChar(c) || c == '.' || c == '~' || c == '+' || c == '/' || c == '=';
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    return i;
  }

  private static int lineEnd(String text, int i) {
    while (i < text.length() && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** A quoted value to its closing quote (or the end, when cut off); a bare one to a delimiter. */
  private static int paramValueEnd(String text, int i) {
    int n = text.length();
    if (i >= n) {
      return i;
    }
    char quote = text.charAt(i);
    if (quote == '"' || quote == '\'') {
      for (int j = i + 1; j < n; j++) {
        char d = text.charAt(j);
        if (d == '\\') {
          j++;
        } else if (d == quote) {
          return j + 1;
        }
      }
      return n;
    }
    int j = i;
    while (j < n && " \t\r\n&,;\"'<>)}]".indexOf(text.charAt(j)) < 0) {
      j++;
    }
    return j;
  }

  /** A quoted value stays quoted, so masked JSON stays JSON. */
  private static String mask(char first) {
    if (first == '"' || first == '\'') {
      return first + Redactor.MASK + first;
    }
    return Redactor.MASK;
  }
}
