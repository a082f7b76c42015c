package dev.lookout.agent.bootstrap;

/**
 * One thread's strings of its last request, by slot: a string equal to the one its slot held last time
 * is swapped for that one, so that request after request a repeating value is the same instance.
 *
 * <p>Why: the export thread encodes a value that repeats (a route, an address, most header values) by
 * copying the bytes it encoded for it last time, once it has compared the two. Containers make many
 * such values anew for each request (Jetty formats the client's address, the server's name, the Host
 * header's value and the response's length each time). Compared there, the new string is read ~10 ms
 * after it was made, out of the cache by then: ~0.2 µs per request in {@code /hello} profiles. Here,
 * on the request thread, it has just been made, and the thread's last one was read one request ago.
 * Equal strings stay equal whichever instance is kept; only the instance changes.
 *
 * <p>Owned by one thread (no other thread reads or writes it). Long strings are left as they are:
 * comparing them costs the request thread more than it saves. JDK types only: a bootstrap bridge class.
 */
public final class SameStrings {

  /** Longer strings are neither compared nor kept. */
  static final int MAX_LENGTH = 128;

  private final String[] last;

  public SameStrings(int slots) {
    last = new String[slots];
  }

  /** {@code s}, or the string {@code slot} held when it equals {@code s}; {@code slot} holds it after. */
  public String same(int slot, String s) {
    if (s == null || slot >= last.length) {
      return s;
    }
    String held = last[slot];
    if (s == held) {
      return s;
    }
    if (s.length() <= MAX_LENGTH) {
      if (s.equals(held)) {
        return held;
      }
      last[slot] = s;
    }
    return s;
  }

  /** Swaps each of {@code strings[0..n)} for its slot's string (slot = index) when they are equal. */
  public void sameAll(String[] strings, int n) {
    int end = Math.min(n, last.length);
    for (int i = 0; i < end; i++) {
      String s = strings[i];
      String kept = same(i, s);
      if (kept != s) {
        strings[i] = kept;
      }
    }
  }
}
