package dev.lookout.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.collector.Collector;
import dev.lookout.collector.CollectorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/** A collector in the test's JVM on free ports, configured by the real command line, spoken to over HTTP. */
public final class InProcessCollector implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  public final Collector collector;

  /** Without login ({@code --no-auth}). */
  public InProcessCollector(Path dataDir, String... args) {
    this(base("--no-auth", dataDir), args);
  }

  private InProcessCollector(String[] base, String[] args) {
    // OTLP/gRPC is off unless the test asks for it: its default port 4317 is shared by every test.
    if (!java.util.Arrays.asList(args).contains("--otlp-grpc-port")) {
      base = args(base, "--otlp-grpc-port", "off");
    }
    collector = Collector.start(CollectorOptions.parse(args(base, args)).getCommand());
  }

  /** With the UI login on: the admin's password is {@code adminPassword}. */
  public static InProcessCollector withLogin(Path dataDir, String adminPassword, String... args) {
    return new InProcessCollector(base("--admin-password=" + adminPassword, dataDir), args);
  }

  private static String[] base(String access, Path dataDir) {
    return new String[] {"--port", "0", "--otlp-port", "0", access, "--data-dir", dataDir.toString()};
  }

  /** The store's arguments followed by the test's own. */
  public static String[] args(String[] storeArgs, String... more) {
    String[] all = java.util.Arrays.copyOf(storeArgs, storeArgs.length + more.length);
    System.arraycopy(more, 0, all, storeArgs.length, more.length);
    return all;
  }

  public HttpResponse<byte[]> post(String path, byte[] body, String contentType) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpPort() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A GET of the JSON API whatever its status. */
  public HttpResponse<String> fetch(String pathAndQuery) throws Exception {
    return fetch(pathAndQuery, null);
  }

  /** A GET of the UI/API port whatever its status, with a login's token when not null. */
  public HttpResponse<String> fetch(String pathAndQuery, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.apiPort() + pathAndQuery));
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs {@code admin} in ({@link #withLogin}); the bearer token. */
  public String login(String password) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.apiPort()
            + "/api/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
            java.util.Map.of("username", "admin", "password", password)))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("login answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).get("token").asText();
  }

  public JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> r = fetch(pathAndQuery);
    if (r.statusCode() != 200) {
      throw new AssertionError(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    collector.close();
  }
}
