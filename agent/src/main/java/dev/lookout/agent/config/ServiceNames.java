package dev.lookout.agent.config;

import java.util.regex.Pattern;

/**
 * Derives a default service name from the JVM's command line: the jar's name without its version, the
 * directory of {@code catalina.base} for a standalone Tomcat, or the main class's simple name.
 */
final class ServiceNames {

  /**
   * {@code -1.4.2}, {@code -2.0.0-SNAPSHOT}, {@code _1.0.RELEASE}, {@code -3-rc1}, {@code -1.0-all}: a version
   * suffix of a jar name, with the usual qualifiers only ({@code svc-2-api} keeps its name).
   */
  private static final Pattern VERSION = Pattern.compile("[-_]v?\\d+(\\.\\d+)*"
      + "([.-](SNAPSHOT|RELEASE|FINAL|GA|(ALPHA|BETA|RC|M|CR)\\d*|\\d{8}(\\.\\d+)?-\\d+|ALL|SHADED|EXEC|BOOT|\\d+))*$",
      Pattern.CASE_INSENSITIVE);

  private static final String TOMCAT_MAIN = "org.apache.catalina.startup.Bootstrap";

  private ServiceNames() {}

  static String fromCommandLine(String command) {
    return fromCommandLine(command, null);
  }

  static String fromCommandLine(String command, String catalinaBase) {
    if (command == null || command.isBlank()) {
      return "java-app";
    }
    String first = command.trim().split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      String name = file.substring(0, file.length() - ".jar".length());
      String bare = VERSION.matcher(name).replaceFirst("");
      return bare.isEmpty() ? name : bare;
    }
    if (first.equals(TOMCAT_MAIN) && catalinaBase != null && !catalinaBase.isBlank()) {
      String base = catalinaBase.trim().replaceAll("[/\\\\]+$", "");
      String dir = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
      if (!dir.isEmpty() && !dir.equals(".")) {
        return dir;
      }
    }
    int dot = first.lastIndexOf('.');
    return dot >= 0 && dot < first.length() - 1 ? first.substring(dot + 1) : first;
  }
}
