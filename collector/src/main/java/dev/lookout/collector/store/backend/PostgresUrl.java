package dev.lookout.collector.store.backend;

import dev.lookout.collector.startup.StartupException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code --db postgresql://[user[:password]@]host[:port]/database[?user=…&password=…&sslmode=…]}
 * read into what the JDBC driver takes: its URL without credentials, and properties (user,
 * password and any other driver parameter given).
 */
record PostgresUrl(String host, int port, String database, Map<String, String> parameters) {

  static final int DEFAULT_PORT = 5432;
  private static final String EXAMPLE = "postgresql://host:5432/lookout?user=lookout&password=…";

  static PostgresUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw bad(text, e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
      throw bad(text, "only postgresql:// is supported (leave --db out for SQLite in --data-dir)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw bad(text, "no host");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw bad(text, "port " + uri.getPort() + " is out of range");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty() || database.contains("/")) {
      throw bad(text, "no database name after the host");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (uri.getRawUserInfo() != null) {
      String[] userInfo = uri.getRawUserInfo().split(":", 2);
      parameters.put("user", decode(userInfo[0]));
      if (userInfo.length == 2) {
        parameters.put("password", decode(userInfo[1]));
      }
    }
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw bad(text, "parameter '" + decode(pair) + "' has no value");
        }
        parameters.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
      }
    }
    if (!parameters.containsKey("user")) {
      throw bad(text, "no user (add ?user=… or user@ before the host)");
    }
    return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database,
        Map.copyOf(parameters));
  }

  private static StartupException bad(String text, String why) {
    return new StartupException("bad --db '" + redacted(text) + "': " + why + "; expected " + EXAMPLE, null);
  }

  /** The URL as given, with any password replaced, for error messages. */
  static String redacted(String text) {
    return text.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  String jdbcUrl() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  Properties properties() {
    Properties p = new Properties();
    p.putAll(parameters);
    p.putIfAbsent("ApplicationName", "lookout-collector");
    // An unreachable server is a startup error within seconds, not a hang.
    p.putIfAbsent("connectTimeout", "10");
    p.putIfAbsent("loginTimeout", "15");
    p.putIfAbsent("tcpKeepAlive", "true");
    // the writer's batches go as multi-row INSERTs
    p.putIfAbsent("reWriteBatchedInserts", "true");
    return p;
  }

  /** host:port/database as user, without the password. */
  String description() {
    return "PostgreSQL " + host + ":" + port + "/" + database + " as " + parameters.get("user");
  }
}
