package dev.lookout.agent.config;

/** Derives a default service name from the JVM's command line: the jar's name or the main class. */
final class ServiceNames {

  private ServiceNames() {}

  static String fromCommandLine(String command) {
    if (command == null || command.isBlank()) {
      return "java-app";
    }
    String first = command.trim().split("\\s+")[0];
    if (first.endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      return file.substring(0, file.length() - ".jar".length());
    }
    int dot = first.lastIndexOf('.');
    return dot >= 0 && dot < first.length() - 1 ? first.substring(dot + 1) : first;
  }
}
