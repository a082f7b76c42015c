package dev.lookout.collector.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Groups identical failures: an exception's fingerprint is its type plus its top application
 * frames (class and method, line numbers ignored, so a redeploy that shifts lines keeps the group).
 * Frames of the JDK, servlet containers and common frameworks are skipped; when a trace has no
 * application frame at all, its top frames stand in.
 */
final class Fingerprints {

  static final int FRAMES = 3;
  private static final String[] FRAMEWORK_PREFIXES = {
      "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "org.eclipse.jetty.", "org.apache.catalina.",
      "org.apache.coyote.", "org.apache.tomcat.", "org.springframework.", "org.apache.logging.", "ch.qos.logback.",
      "org.slf4j.", "io.opentelemetry.", "kotlin.", "scala.", "groovy.", "net.bytebuddy.", "dev.lookout.shaded.",
      "org.glassfish.", "io.undertow.", "io.netty.", "reactor.", "com.fasterxml.", "io.javalin."};

  private Fingerprints() {}

  static String of(String type, String stacktrace) {
    List<String> frames = topFrames(stacktrace);
    StringBuilder key = new StringBuilder(type == null ? "?" : type);
    for (String f : frames) {
      key.append('|').append(f);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code pkg.Class.method} of the first frames of the outermost exception. */
  static List<String> topFrames(String stacktrace) {
    List<String> all = new ArrayList<>();
    if (stacktrace != null) {
      for (String line : stacktrace.split("\n")) {
        String t = line.trim();
        if (t.startsWith("Caused by:") || t.startsWith("Suppressed:")) {
          break;
        }
        if (t.startsWith("at ")) {
          int paren = t.indexOf('(');
          String frame = (paren > 0 ? t.substring(3, paren) : t.substring(3)).trim();
          int slash = frame.lastIndexOf('/');
          all.add(slash >= 0 ? frame.substring(slash + 1) : frame); // drop "module@version/"
        }
      }
    }
    List<String> app = new ArrayList<>();
    for (String f : all) {
      if (isApplication(f)) {
        app.add(f);
        if (app.size() == FRAMES) {
          break;
        }
      }
    }
    return app.isEmpty() ? all.subList(0, Math.min(FRAMES, all.size())) : app;
  }

  static boolean isApplication(String frame) {
    for (String p : FRAMEWORK_PREFIXES) {
      if (frame.startsWith(p)) {
        return false;
      }
    }
    return true;
  }
}
