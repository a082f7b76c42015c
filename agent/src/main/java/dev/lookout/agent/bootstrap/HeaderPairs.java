package dev.lookout.agent.bootstrap;

import java.util.Arrays;

/**
 * A thread's scratch for the header pairs advice reads off one request or response: filled pair by
 * pair, handed to the hooks, which {@link #handOver hand} its array to the request's pooled record and
 * give it the record's emptied one, then {@link #clear cleared}. Nothing is allocated per request (a
 * list, its regrown backing arrays and a type-checked copy were most of the header capture's cost on
 * the request thread; an exactly sized copy per side was most of what a request still allocated). JDK
 * types only: a bootstrap bridge class.
 */
public final class HeaderPairs {

  private static final PerThread<HeaderPairs> THREAD = new PerThread<>();

  private String[] pairs = new String[32];
  private int size;
  /** What this thread's last request and response carried, pair by pair: see {@link SameStrings}. */
  private final SameStrings lastRequest = new SameStrings(32);
  private final SameStrings lastResponse = new SameStrings(32);

  private HeaderPairs() {}

  /** This thread's scratch, empty. */
  public static HeaderPairs forThread() {
    HeaderPairs p = THREAD.get();
    if (p == null) {
      p = new HeaderPairs(); // no lambda: a bootstrap class spins no classes for its first use
      THREAD.set(p);
    } else {
      p.clear();
    }
    return p;
  }

  public void add(String name, String value) {
    if (size + 2 > pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[size++] = name;
    pairs[size++] = value;
  }

  /** The number of strings added (twice the pairs). */
  public int size() {
    return size;
  }

  /** Drops the pairs added after the first {@code length} strings. */
  public void truncate(int length) {
    if (length < size) {
      Arrays.fill(pairs, length, size, null);
      size = length;
    }
  }

  /**
   * The pairs added, names and values alternating, in the scratch itself: they end at the array's end
   * or at the first null. Valid until {@link #clear} or {@link #handOver}.
   */
  public String[] pairs() {
    return pairs;
  }

  /**
   * {@link #handOver} for a request's pairs, each swapped for the same string of the last request this
   * thread handed over where they are equal.
   */
  public String[] handOverRequest(String[] spare) {
    lastRequest.sameAll(pairs, size);
    return handOver(spare);
  }

  /** {@link #handOverRequest} for a response's pairs. */
  public String[] handOverResponse(String[] spare) {
    lastResponse.sameAll(pairs, size);
    return handOver(spare);
  }

  /**
   * Hands the pairs to a record that keeps them: answers this scratch's array, which holds them (to its
   * end or its first null), and takes the record's {@code spare} array in its place, emptied (a new one
   * when null), so the pairs change hands without a copy (a copy into a long-lived array costs the
   * collector's barrier on every reference). The scratch is empty after.
   */
  public String[] handOver(String[] spare) {
    String[] handed = pairs;
    String[] next = spare;
    if (next == null || next.length < 16) {
      next = new String[32];
    } else if (next[0] != null) {
      Arrays.fill(next, null);
    }
    pairs = next;
    size = 0;
    return handed;
  }

  /** Empties the scratch: the strings are the container's, not kept past the call that read them. */
  public void clear() {
    if (size > 0) {
      Arrays.fill(pairs, 0, size, null);
      size = 0;
    }
  }
}
