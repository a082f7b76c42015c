package dev.lookout.collector.store.query;

import dev.lookout.collector.store.LogEntryRecord;

/** Filters of {@code GET /api/logs}, validated; null means no filter. {@code minLevel} is 1 … 5. */
public record LogQuery(
    String service,
    Integer minLevel,
    String text,
    String traceId,
    Long from,
    Long to,
    int limit,
    RequestQuery.Cursor cursor) {

  /** This filter over live rows (the text must appear in the message or the exception, case-insensitively). */
  public boolean matches(LogEntryRecord r) {
    return (service == null || service.equals(r.service()))
        && (minLevel == null || r.level() >= minLevel)
        && (traceId == null || traceId.equals(r.traceId()))
        && (from == null || r.time() >= from)
        && (to == null || r.time() < to)
        && (text == null || contains(r.message(), text) || contains(r.exception(), text));
  }

  private static boolean contains(String haystack, String needle) {
    return haystack != null && haystack.toLowerCase().contains(needle.toLowerCase());
  }

  /**
   * The user's words as an FTS5 query: each whitespace-separated word quoted (so FTS syntax
   * characters in it are literal), all of them required. A NUL would end FTS5's string early
   * ("unterminated string"), so it separates words like a space.
   */
  public String ftsQuery() {
    StringBuilder q = new StringBuilder();
    for (String word : words()) {
      q.append(q.length() > 0 ? " " : "").append('"').append(word.replace("\"", "\"\"")).append('"');
    }
    return q.toString();
  }

  /** The user's whitespace-separated words, all of which a record must contain. */
  public java.util.List<String> words() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String word : text.replace('\0', ' ').trim().split("\\s+")) {
      if (!word.isEmpty()) {
        out.add(word);
      }
    }
    return out;
  }
}
