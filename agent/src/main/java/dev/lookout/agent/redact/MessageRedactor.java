package dev.lookout.agent.redact;

import java.util.Comparator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Masks secrets inside free text (log messages, exception messages and stack traces, text bodies):
 * {@code password=…}, {@code token: …}, {@code "api_key":"…"} and {@code <secret>…</secret>} for
 * the configured parameter names, {@code Authorization: …} to the end of the line for the
 * configured header names, and bearer / basic credentials wherever they appear.
 */
final class MessageRedactor {

  private final Pattern pattern;

  MessageRedactor(Set<String> headers, Set<String> params) {
    String p = alternation(params);
    String h = alternation(headers);
    StringBuilder regex = new StringBuilder();
    if (p != null) {
      regex.append("(\\b(?:").append(p).append(")[\"']?\\s*[=:]\\s*)(\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"?|'[^']*+'?|[^\\s&,;\"'<>)}\\]]+)");
    } else {
      regex.append("(\\b\\B)(x)"); // never matches: keeps the group numbers
    }
    regex.append('|');
    if (h != null) {
      regex.append("(\\b(?:").append(h).append(")[\"']?\\s*[:=]\\s*)([^\\r\\n]+)");
    } else {
      regex.append("(\\b\\B)(x)");
    }
    regex.append("|(\\b(?:bearer|basic)\\s+)([A-Za-z0-9._~+/=-]{6,})");
    String all = p == null ? h : h == null ? p : p + "|" + h;
    if (all != null) {
      regex.append("|(<(?:").append(all).append(")(?:\\s[^>]*)?>)([^<]+)");
    }
    this.pattern = Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static String alternation(Set<String> names) {
    if (names.isEmpty()) {
      return null;
    }
    // Longest first, so that "access_token" is not read as "token" with a prefix.
    return names.stream().sorted(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s))
        .map(Pattern::quote).collect(Collectors.joining("|"));
  }

  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      int group = m.group(2) != null ? 2 : m.group(4) != null ? 4 : m.group(6) != null ? 6 : 8;
      out.append(text, last, m.start(group)).append(mask(m.group(group)));
      last = m.end(group);
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }

  /** A quoted value stays quoted, so masked JSON stays JSON. */
  private static String mask(String value) {
    char first = value.charAt(0);
    if (first == '"' || first == '\'') {
      return first + Redactor.MASK + first;
    }
    return Redactor.MASK;
  }
}
