package dev.lookout.agent.bootstrap;

import java.util.Arrays;

/**
 * A thread's scratch for the header pairs advice reads off one request or response: filled pair by
 * pair, then {@link #take taken} as one exactly sized array. One array a request side instead of a
 * growing list and its copy (the list, its regrown backing arrays and a type-checked copy were most
 * of the header capture's cost on the request thread). JDK types only: a bootstrap bridge class.
 */
public final class HeaderPairs {

  private static final ThreadLocal<HeaderPairs> THREAD = new ThreadLocal<>();

  private String[] pairs = new String[32];
  private int size;

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

  /** The pairs added (names and values alternating), in an array of their own; the scratch is emptied. */
  public String[] take() {
    String[] taken = Arrays.copyOf(pairs, size);
    clear();
    return taken;
  }

  private void clear() {
    if (size > 0) {
      Arrays.fill(pairs, 0, size, null); // the strings are the container's: not kept past the request
      size = 0;
    }
  }
}
