package dev.lookout.agent.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, resolved once at start-up.
 *
 * <p>Precedence (SPEC §1): agent argument &gt; system property &gt; environment &gt; the
 * OpenTelemetry equivalent &gt; default. Keys are written without the {@code lookout.} prefix
 * in the agent argument ({@code collector.url=…;service.name=…}); the prefixed form is accepted too.
 */
public final class AgentConfig {

  private static final String PREFIX = "lookout.";

  /** Where an OpenTelemetry variable means the same as one of ours, it is honoured below it. */
  private static final Map<String, String> OTEL_EQUIVALENTS = Map.of(
      "service.name", "OTEL_SERVICE_NAME",
      "collector.url", "OTEL_EXPORTER_OTLP_ENDPOINT",
      "resource.attributes", "OTEL_RESOURCE_ATTRIBUTES");

  private final Map<String, String> agentArgs;
  private final Properties systemProperties;
  private final Map<String, String> environment;

  AgentConfig(String agentArgs, Properties systemProperties, Map<String, String> environment) {
    this.agentArgs = parseAgentArgs(agentArgs);
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  public static AgentConfig load(String agentArgs) {
    return new AgentConfig(agentArgs, System.getProperties(), System.getenv());
  }

  /** Parses {@code a.b=1;c.d=2} (a comma also separates, except inside a value of a list key). */
  static Map<String, String> parseAgentArgs(String args) {
    if (args == null || args.isBlank()) {
      return Collections.emptyMap();
    }
    Map<String, String> parsed = new HashMap<>();
    for (String pair : args.split(";")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      parsed.put(normalise(pair.substring(0, eq)), pair.substring(eq + 1).trim());
    }
    return parsed;
  }

  private static String normalise(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    return k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k;
  }

  /** The raw value of {@code lookout.<key>}, or null when no source sets it. */
  public String raw(String key) {
    String value = agentArgs.get(key);
    if (value == null) {
      value = systemProperties.getProperty(PREFIX + key);
    }
    if (value == null) {
      value = environment.get("LOOKOUT_" + key.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    if (value == null) {
      String otel = OTEL_EQUIVALENTS.get(key);
      if (otel != null) {
        value = systemProperties.getProperty(otel.toLowerCase(Locale.ROOT).replace('_', '.'));
        if (value == null) {
          value = environment.get(otel);
        }
      }
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  public String string(String key, String defaultValue) {
    String value = raw(key);
    return value == null ? defaultValue : value;
  }

  public boolean bool(String key, boolean defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    return value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes");
  }

  public int integer(String key, int defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }

  public double ratio(String key, double defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      double parsed = Double.parseDouble(value);
      return parsed < 0 ? 0 : Math.min(parsed, 1.0);
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }

  /** Sizes such as {@code 8kb}, {@code 2MB} or a plain byte count. */
  public long bytes(String key, long defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    String v = value.toLowerCase(Locale.ROOT).replace(" ", "");
    long multiplier = 1;
    if (v.endsWith("kb") || v.endsWith("k")) {
      multiplier = 1024;
    } else if (v.endsWith("mb") || v.endsWith("m")) {
      multiplier = 1024 * 1024;
    } else if (v.endsWith("gb") || v.endsWith("g")) {
      multiplier = 1024L * 1024 * 1024;
    }
    try {
      return Long.parseLong(v.replaceAll("[a-z]+$", "")) * multiplier;
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }

  // --- the documented keys ---

  public boolean enabled() {
    return bool("enabled", true);
  }

  public boolean debug() {
    return bool("debug", false);
  }

  public String serviceName() {
    String configured = raw("service.name");
    return configured != null ? configured : ServiceNames.fromCommandLine(systemProperties.getProperty("sun.java.command"));
  }

  public String collectorUrl() {
    String url = string("collector.url", "http://127.0.0.1:4318");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public String collectorToken() {
    return raw("collector.token");
  }

  public String pskIdentity() throws java.io.IOException {
    String identity = raw("psk.identity");
    if (identity == null) {
      throw new java.io.IOException("psk:// needs lookout.psk.identity");
    }
    return identity;
  }

  /** {@code lookout.psk.key} (hex), or the hex in the file {@code lookout.psk.key.file}. */
  public byte[] pskKey() throws java.io.IOException {
    String hex = raw("psk.key");
    if (hex == null && raw("psk.key.file") != null) {
      hex = new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get(raw("psk.key.file"))),
          java.nio.charset.StandardCharsets.UTF_8).trim();
    }
    if (hex == null || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
      throw new java.io.IOException("psk:// needs lookout.psk.key (hex) or lookout.psk.key.file");
    }
    byte[] key = new byte[hex.length() / 2];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return key;
  }

  public int bufferMax() {
    return Math.max(16, integer("buffer.max", 10_000));
  }

  /**
   * {@code lookout.buffer.bytes}: the same buffer bounded by size too (not in SPEC's table, an
   * addition): records carrying stack traces are a hundred times the size of a plain span.
   */
  public long bufferBytes() {
    return Math.max(64 * 1024, bytes("buffer.bytes", 16 * 1024 * 1024));
  }

  public double sampleRatio() {
    return ratio("sample.ratio", 1.0);
  }

  /** {@code lookout.capture.bodies}: request and response bodies, off unless asked for. */
  public boolean captureBodies() {
    return bool("capture.bodies", false);
  }

  /** {@code lookout.capture.body.max}: bytes kept of each body (default 8kb). */
  public long bodyMax() {
    return bytes("capture.body.max", 8 * 1024);
  }

  public boolean captureHeaders() {
    return bool("capture.headers", true);
  }

  public String redactHeaders() {
    return string("redact.headers", "authorization,cookie,set-cookie,proxy-authorization,x-api-key");
  }

  public String redactParams() {
    return string("redact.params", "password,passwd,secret,token,access_token,api_key");
  }

  public String ignorePaths() {
    return raw("ignore.paths");
  }

  public boolean logsMdc() {
    return bool("logs.mdc", true);
  }

  /** {@code lookout.logs.level} as 1 TRACE … 5 ERROR; JUL names are understood too. */
  public int logsLevel() {
    String level = string("logs.level", "INFO").toUpperCase(Locale.ROOT);
    switch (level) {
      case "TRACE": case "FINEST": case "FINER": case "ALL": return 1;
      case "DEBUG": case "FINE": case "CONFIG": return 2;
      case "WARN": case "WARNING": return 4;
      case "ERROR": case "SEVERE": case "FATAL": return 5;
      case "OFF": return 6;
      default: return 3;
    }
  }

  /** {@code k=v,k2=v2} as OTEL_RESOURCE_ATTRIBUTES writes it. */
  public Map<String, String> resourceAttributes() {
    String value = raw("resource.attributes");
    if (value == null) {
      return Collections.emptyMap();
    }
    Map<String, String> attributes = new HashMap<>();
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        attributes.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return attributes;
  }
}
