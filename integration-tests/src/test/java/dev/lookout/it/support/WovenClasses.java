package dev.lookout.it.support;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The classes an agent started with {@code debug=true} says it wove, from its output. */
public final class WovenClasses {

  private static final String WOVEN = "[lookout] instrumented ";
  /** Ends the line of a class taken from the weave cache. */
  public static final String CACHED = " (as cached)";

  private WovenClasses() {}

  /** One line per class woven or taken from the cache: its name, then {@link #CACHED} for the latter. */
  public static List<String> in(String output) {
    return output.lines().filter(l -> l.startsWith(WOVEN)).map(l -> l.substring(WOVEN.length()))
        .collect(Collectors.toList());
  }

  /** The class names of {@link #in}'s lines, however each came. */
  public static TreeSet<String> names(List<String> woven) {
    return woven.stream().map(l -> l.endsWith(CACHED) ? l.substring(0, l.length() - CACHED.length()) : l)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
