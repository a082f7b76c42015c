package dev.lookout.collector.store;

/**
 * Text as every store can hold it: PostgreSQL's text cannot contain NUL (U+0000), so a NUL from
 * an agent or a query parameter becomes U+FFFD, the replacement character, on both stores alike
 * (a record is stored, and found by the same text, wherever it lives).
 */
public final class StorableText {

  private StorableText() {}

  /** {@code text} with every NUL replaced; the same instance when it has none (the usual case). */
  public static String of(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
