package dev.lookout.agent.config;

import java.io.PrintStream;

/**
 * What the agent says about itself, on stderr only (never stdout: that is the application's): the
 * start line, configuration problems, and the collector's warnings. {@code lookout.quiet=true}
 * silences all of it; {@code lookout.debug=true} diagnostics are printed regardless.
 */
public final class Voice {

  public static final String PREFIX = "[lookout] ";

  private static volatile boolean quiet;

  private Voice() {}

  public static void quiet(boolean value) {
    quiet = value;
  }

  public static boolean isQuiet() {
    return quiet;
  }

  /** One line on stderr unless quiet; never throws. */
  public static void say(String line) {
    if (!quiet) {
      print(line);
    }
  }

  /** A diagnostic line, printed even when quiet (asked for with {@code lookout.debug}). */
  public static void debug(String line) {
    print(line);
  }

  private static void print(String line) {
    try {
      PrintStream err = System.err;
      if (err != null) {
        err.println(PREFIX + line);
      }
    } catch (Throwable ignored) {
      // the application's stderr is not ours to break
    }
  }
}
