package dev.lookout.agent.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code lookout.ignore.paths}: comma-separated globs ({@code *} any run of characters, {@code ?}
 * one) or {@code regex:…} entries (a regex entry runs to the end of the list, commas included).
 */
public final class PathFilter {

  private final List<Pattern> patterns;

  private PathFilter(List<Pattern> patterns) {
    this.patterns = patterns;
  }

  public static PathFilter parse(String config) {
    List<Pattern> patterns = new ArrayList<>();
    if (config != null) {
      String rest = config.trim();
      while (!rest.isEmpty()) {
        if (rest.startsWith("regex:")) {
          patterns.add(Pattern.compile(rest.substring("regex:".length())));
          break;
        }
        int comma = rest.indexOf(',');
        String glob = (comma < 0 ? rest : rest.substring(0, comma)).trim();
        if (!glob.isEmpty()) {
          patterns.add(globToRegex(glob));
        }
        rest = comma < 0 ? "" : rest.substring(comma + 1).trim();
      }
    }
    return new PathFilter(List.copyOf(patterns));
  }

  static Pattern globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char ch : glob.toCharArray()) {
      if (ch == '*') {
        re.append(".*");
      } else if (ch == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString());
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  public boolean matches(String path) {
    for (Pattern p : patterns) {
      if (p.matcher(path).matches()) {
        return true;
      }
    }
    return false;
  }
}
