package dev.lookout.collector.api;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The headers every answer of the UI/API port carries: the UI's scripts and styles come from the
 * collector alone (no inline script or style anywhere in {@code ui/}), it may not be framed, and
 * no answer is content-sniffed or leaks its address as a referrer.
 */
final class SecurityHeaders {

  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
      + " frame-ancestors 'none'";

  private static final Map<String, String> HEADERS = Map.of(
      "Content-Security-Policy", CONTENT_SECURITY_POLICY,
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "X-Frame-Options", "DENY");

  private SecurityHeaders() {}

  /** Sets each header through {@code setter} (a Javalin context's or a bare Jetty response's). */
  static void apply(BiConsumer<String, String> setter) {
    HEADERS.forEach(setter);
  }
}
