package dev.lookout.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

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
      "compression", "OTEL_EXPORTER_OTLP_COMPRESSION",
      "resource.attributes", "OTEL_RESOURCE_ATTRIBUTES");

  /** Every key the agent reads (without the prefix); any other {@code lookout.*} key is reported. */
  static final Set<String> KNOWN_KEYS = Set.of(
      "enabled", "service.name", "collector.url", "collector.token", "psk.identity", "psk.key", "psk.key.file",
      "ignore.paths", "capture.headers", "capture.bodies", "capture.body.max", "redact.headers", "redact.params",
      "sample.ratio", "logs.level", "logs.mdc", "io.enabled", "io.flush.ms", "io.debug", "buffer.max",
      "buffer.bytes", "capture.sql.params", "embedded", "embedded.port", "embedded.data.dir", "embedded.options",
      "quiet", "debug", "resource.attributes", "compression", "weave.cache");

  /** A value starting with this replaces the default list of {@code lookout.redact.*} instead of adding to it. */
  public static final String REPLACE = "=!";

  private final Map<String, String> agentArgs;
  private final Properties systemProperties;
  private final Map<String, String> environment;
  /** Invalid values met so far, one line each; the default is used in their place. */
  private final Set<String> problems = Collections.synchronizedSet(new LinkedHashSet<>());

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
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true": case "1": case "yes": case "on": return true;
      case "false": case "0": case "no": case "off": return false;
      default:
        problem(key, value, "not true or false", "using " + defaultValue);
        return defaultValue;
    }
  }

  /** Records an invalid value of {@code lookout.<key>}: {@code what} is wrong, {@code instead} is used. */
  void problem(String key, String value, String what, String instead) {
    problems.add("invalid lookout." + key + "=" + value + " (" + what + "): " + instead);
  }

  /**
   * Reads every documented key once and returns one line per invalid value and per unknown
   * {@code lookout.*} key given as agent argument or system property (environment variables are
   * not checked: {@code LOOKOUT_COLLECTOR_*} belongs to the collector).
   */
  public List<String> problems() {
    enabled();
    debug();
    quiet();
    collectorUrl();
    if (collectorUrl().startsWith("psk://")) {
      try {
        pskIdentity();
        pskKey();
      } catch (java.io.IOException e) {
        problems.add(e.getMessage() + ": nothing is exported");
      }
    }
    ignorePathFilter();
    captureHeaders();
    captureBodies();
    bodyMax();
    sampleRatio();
    logsLevel();
    logsMdc();
    ioEnabled();
    bufferMax();
    bufferBytes();
    gzip();
    weaveCache();
    for (String key : agentArgs.keySet()) {
      unknown(key, "agent argument " + key);
    }
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        unknown(name.substring(PREFIX.length()), "system property -D" + name);
      }
    }
    synchronized (problems) {
      return new ArrayList<>(problems);
    }
  }

  private void unknown(String key, String where) {
    if (!KNOWN_KEYS.contains(key)) {
      problems.add("unknown " + where + ": ignored");
    }
  }

  public int integer(String key, int defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      problem(key, value, "not a whole number", "using " + defaultValue);
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
      if (parsed < 0 || parsed > 1 || Double.isNaN(parsed)) {
        problem(key, value, "not between 0 and 1", parsed < 0 ? "using 0" : "using 1");
      }
      return parsed < 0 ? 0 : Math.min(parsed, 1.0);
    } catch (NumberFormatException e) {
      problem(key, value, "not a number", "using " + defaultValue);
      return defaultValue;
    }
  }

  /** Sizes such as {@code 8kb}, {@code 2MB} or a plain byte count. */
  public long bytes(String key, long defaultValue) {
    String value = raw(key);
    if (value == null) {
      return defaultValue;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,15})(b|k|kb|m|mb|g|gb)?")
        .matcher(value.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", ""));
    if (!m.matches()) {
      problem(key, value, "not a size such as 512kb, 16mb or a byte count", "using " + defaultValue + " bytes");
      return defaultValue;
    }
    String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
    long multiplier = unit.equals("k") ? 1024 : unit.equals("m") ? 1024 * 1024 : unit.equals("g") ? 1024L * 1024 * 1024 : 1;
    return Long.parseLong(m.group(1)) * multiplier;
  }

  // --- the documented keys ---

  public boolean enabled() {
    return bool("enabled", true);
  }

  public boolean debug() {
    return bool("debug", false);
  }

  /** {@code lookout.quiet}: no start line and no warnings. */
  public boolean quiet() {
    return bool("quiet", false);
  }

  /**
   * {@code lookout.weave.cache}: the directory where the classes the agent rewrote are kept for the next
   * start, or {@code off}. Unset: {@code lookout/weave} in the user's cache directory
   * ({@code $XDG_CACHE_HOME}, else {@code ~/.cache}); null when there is none, or for {@code off}.
   */
  public java.nio.file.Path weaveCache() {
    String value = raw("weave.cache");
    if (value != null) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "off": case "none": case "false": return null;
        default:
          try {
            return java.nio.file.Path.of(value).toAbsolutePath();
          } catch (RuntimeException e) {
            problem("weave.cache", value, "not a directory name", "the default");
          }
      }
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    try {
      if (xdg != null && !xdg.isBlank() && java.nio.file.Path.of(xdg).isAbsolute()) {
        return java.nio.file.Path.of(xdg, "lookout", "weave");
      }
      String home = systemProperties.getProperty("user.home");
      if (home == null || home.isBlank() || "?".equals(home) || !java.nio.file.Path.of(home).isAbsolute()) {
        return null; // a user without a home directory (some containers)
      }
      return java.nio.file.Path.of(home, ".cache", "lookout", "weave");
    } catch (RuntimeException unusable) {
      return null;
    }
  }

  /** Whether {@code lookout.weave.cache} was given (a problem with it is then worth a warning). */
  public boolean weaveCacheGiven() {
    return raw("weave.cache") != null;
  }

  public boolean ioEnabled() {
    return bool("io.enabled", true);
  }

  public String serviceName() {
    String configured = raw("service.name");
    return configured != null ? configured
        : ServiceNames.fromCommandLine(systemProperties.getProperty("sun.java.command"),
            systemProperties.getProperty("catalina.base"));
  }

  public String collectorUrl() {
    String url = string("collector.url", "http://127.0.0.1:4318");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The collector as the agent's messages name it: the URL without any user info, or {@code psk://host:port}. */
  public String collectorDisplay() {
    return collectorUrl().replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
  }

  /**
   * The start line: {@code agent <version> started: service <name>, collector <url>, <what is on>}
   * (without the {@code [lookout]} prefix).
   */
  public String startLine(String version) {
    StringBuilder on = new StringBuilder("requests");
    int level = logsLevel();
    if (level <= 5) {
      on.append(", logs (").append(new String[] {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"}[level - 1]).append(')');
    }
    if (ioEnabled()) {
      on.append(", io");
    }
    if (captureHeaders()) {
      on.append(", headers");
    }
    if (captureBodies()) {
      on.append(", bodies (max ").append(bodyMax()).append(" bytes)");
    }
    double ratio = sampleRatio();
    if (ratio < 1.0) {
      on.append(", sampling ").append(ratio);
    }
    if (ignorePaths() != null && !ignorePathFilter().isEmpty()) {
      on.append(", ignoring ").append(ignorePaths());
    }
    String collector = embeddedJar() != null
        ? "embedded (UI http://127.0.0.1:" + integer("embedded.port", 7070) + "/)"
        : collectorDisplay() + (collectorToken() != null ? " (token)" : "") + (gzip() ? " (gzip)" : "");
    return "agent " + (version == null ? "dev" : version) + " started: service " + serviceName()
        + ", collector " + collector + ", " + on;
  }

  /**
   * The collector jar to run inside this JVM ({@code lookout.embedded}): null when off; {@code true}
   * means {@code lookout-collector.jar} beside the agent jar, any other value is its path.
   */
  public java.nio.file.Path embeddedJar() {
    String value = raw("embedded");
    if (value == null) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "false": case "0": case "no": case "off":
        return null;
      case "true": case "1": case "yes": case "on":
        return besideAgent("lookout-collector.jar");
      default:
        return java.nio.file.Path.of(value);
    }
  }

  private static java.nio.file.Path besideAgent(String file) {
    try {
      java.nio.file.Path agent = java.nio.file.Path.of(
          AgentConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return agent.resolveSibling(file);
    } catch (Exception e) {
      return java.nio.file.Path.of(file);
    }
  }

  /**
   * The embedded collector's command line: {@code lookout.embedded.options} (split on blanks), after
   * the options it does not name: the UI port and data directory from their keys, and no OTLP
   * listeners (the agent hands its records over in process).
   */
  public List<String> embeddedArgs() {
    String options = raw("embedded.options");
    List<String> given = options == null ? List.of() : List.of(options.trim().split("\\s+"));
    Map<String, String> defaults = new java.util.LinkedHashMap<>();
    defaults.put("--port", Integer.toString(integer("embedded.port", 7070)));
    defaults.put("--data-dir", string("embedded.data.dir", "./lookout-data"));
    defaults.put("--otlp-port", "off");
    defaults.put("--otlp-grpc-port", "off");
    List<String> args = new java.util.ArrayList<>();
    for (Map.Entry<String, String> d : defaults.entrySet()) {
      if (given.stream().noneMatch(g -> g.equals(d.getKey()) || g.startsWith(d.getKey() + "="))) {
        args.add(d.getKey());
        args.add(d.getValue());
      }
    }
    args.addAll(given);
    return args;
  }

  /**
   * {@code lookout.compression}: whether exports to the collector are gzipped. {@code gzip} and
   * {@code none} say so; unset, a collector on another host gets gzip and one on this host's loopback
   * (or embedded) does not. Measured on the agent-cost bench: gzip cuts a {@code /hello} span from
   * 654 B to ~45 B and costs ~1.2 µs of CPU per span, while sending the 654 B over loopback costs the
   * kernel ~0.2 µs; across a network the bytes are what is scarce.
   */
  public boolean gzip() {
    String value = raw("compression");
    if (value != null) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "gzip": return true;
        case "none": return false;
        default:
          problem("compression", value, "not gzip or none", "using the default");
      }
    }
    return !onLoopback(collectorUrl());
  }

  /** Whether the URL's host is this machine's loopback: {@code localhost}, {@code 127.x.x.x} or {@code ::1}. */
  static boolean onLoopback(String url) {
    String host;
    try {
      host = new java.net.URI(url).getHost(); // null for a host that is no valid name or address
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    }
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
        || host.equals("0:0:0:0:0:0:0:1") || isLoopbackIpv4(host);
  }

  /** {@code 127.d.d.d} (1 to 3 digits each), checked without a regex: it runs at premain. */
  private static boolean isLoopbackIpv4(String host) {
    if (!host.startsWith("127.")) {
      return false;
    }
    int dots = 0;
    int digits = 0;
    for (int i = 4; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
      } else {
        return false;
      }
    }
    return dots == 2 && digits > 0;
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
    if (hex == null) {
      throw new java.io.IOException("psk:// needs lookout.psk.key (hex) or lookout.psk.key.file");
    }
    if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
      throw new java.io.IOException("invalid lookout.psk.key (not an even number of hex digits)");
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

  /**
   * {@code lookout.redact.headers}: the names given are added to {@link dev.lookout.agent.redact.Redactor#DEFAULT_HEADERS};
   * a value starting with {@code =!} replaces the defaults.
   */
  public String redactHeaders() {
    return withDefaults(raw("redact.headers"), dev.lookout.agent.redact.Redactor.DEFAULT_HEADERS);
  }

  /** {@code lookout.redact.params}, added to the defaults likewise ({@code =!} replaces them). */
  public String redactParams() {
    return withDefaults(raw("redact.params"), dev.lookout.agent.redact.Redactor.DEFAULT_PARAMS);
  }

  static String withDefaults(String configured, String defaults) {
    if (configured == null) {
      return defaults;
    }
    if (configured.startsWith(REPLACE)) {
      return configured.substring(REPLACE.length());
    }
    return defaults + "," + configured;
  }

  public String ignorePaths() {
    return raw("ignore.paths");
  }

  /** {@code lookout.ignore.paths} parsed; an invalid pattern is reported and nothing is ignored. */
  public dev.lookout.agent.trace.PathFilter ignorePathFilter() {
    String value = ignorePaths();
    try {
      return dev.lookout.agent.trace.PathFilter.parse(value);
    } catch (RuntimeException e) {
      String why = e instanceof java.util.regex.PatternSyntaxException
          ? ((java.util.regex.PatternSyntaxException) e).getDescription() : String.valueOf(e.getMessage());
      problem("ignore.paths", value, why, "no path is ignored");
      return dev.lookout.agent.trace.PathFilter.parse(null);
    }
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
      case "INFO": return 3;
      default:
        problem("logs.level", level, "not TRACE, DEBUG, INFO, WARN, ERROR or OFF", "using INFO");
        return 3;
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
