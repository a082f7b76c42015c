package org.springframework.lookoutfixture;

import dev.lookout.agent.io.CallSitesProbe;

/**
 * A framework's code, as the call sites see it (a well-known framework's package): it calls down
 * {@code depth} frames of its own, then asks for the site where its deepest frame stands.
 */
public final class Nested {

  public static final int LINE = 17;

  private Nested() {}

  public static String site(int depth) {
    if (depth <= 1) {
      return CallSitesProbe.first();
    }
    return site(depth - 1);
  }
}
