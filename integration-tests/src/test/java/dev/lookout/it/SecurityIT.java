package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The locked web view and the authenticated ingest channel, against the real collector jar. */
class SecurityIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theApiNeedsALoginAndTheGeneratedPasswordIsPrintedOnce() throws Exception {
    Path data = Files.createTempDirectory("lookout-sec");
    String password;
    try (CollectorProcess c = CollectorProcess.start(data)) {
      Matcher m = Pattern.compile("Generated password for the UI user 'admin'.*: (\\S+)").matcher(c.output());
      assertThat(m.find()).as(c.output()).isTrue();
      password = m.group(1);
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      String base = "http://127.0.0.1:" + c.port();

      assertThat(get(base + "/healthz", null).statusCode()).isEqualTo(200);
      for (String route : List.of("/api/requests", "/api/logs", "/api/exceptions", "/api/services", "/api/stats",
          "/api/live", "/api/requests/0123456789abcdef0123456789abcdef")) {
        HttpResponse<String> r = get(base + route, null);
        assertThat(r.statusCode()).as(route).isEqualTo(401);
        assertThat(r.body()).as(route).contains("\"error\"");
      }
      assertThat(login(base, "admin", "wrong").statusCode()).isEqualTo(401);
      assertThat(login(base, "root", password).statusCode()).isEqualTo(401);
      HttpResponse<String> ok = login(base, "admin", password);
      assertThat(ok.statusCode()).isEqualTo(200);
      String token = JSON.readTree(ok.body()).get("token").asText();
      assertThat(JSON.readTree(ok.body()).get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
      String cookie = ok.headers().firstValue("set-cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").startsWith("lookout_session=" + token);

      assertThat(get(base + "/api/requests", "Bearer " + token).statusCode()).isEqualTo(200);
      HttpResponse<String> viaCookie = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/me"))
          .header("Cookie", "lookout_session=" + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(viaCookie.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(viaCookie.body()).get("user").asText()).isEqualTo("admin");

      // Forged: same claims, another key. Tampered: a changed payload under the old signature.
      assertThat(get(base + "/api/requests", "Bearer " + sign(payload("admin", 3600), "not-the-key".getBytes()))
          .statusCode()).isEqualTo(401);
      String[] parts = token.split("\\.");
      String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(payload("root", 3600).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
      assertThat(get(base + "/api/requests", "Bearer " + tampered).statusCode()).isEqualTo(401);
      // Expired: signed with the real secret, expired a minute ago.
      byte[] secret = java.util.HexFormat.of().parseHex(Files.readString(data.resolve("jwt.secret")).trim());
      assertThat(get(base + "/api/requests", "Bearer " + sign(payload("admin", -60), secret)).statusCode())
          .isEqualTo(401);
      assertThat(get(base + "/api/requests", "Bearer " + sign(payload("admin", 60), secret)).statusCode())
          .isEqualTo(200);

      // Logout revokes the token.
      HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/logout")).header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(get(base + "/api/requests", "Bearer " + token).statusCode()).isEqualTo(401);

      // Guessing is slowed: after a few failures the collector answers 429 with Retry-After.
      int throttled = 0;
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> r = login(base, "admin", "guess-" + i);
        if (r.statusCode() == 429) {
          throttled++;
          assertThat(r.headers().firstValue("retry-after")).isPresent();
        }
      }
      assertThat(throttled).isPositive();
    }
    try (CollectorProcess again = CollectorProcess.start(data)) {
      assertThat(again.output()).doesNotContain("Generated password");
      // Sessions survive a restart: the signing secret is kept in the data directory.
      assertThat(login("http://127.0.0.1:" + again.port(), "admin", password).statusCode()).isIn(200, 429);
    }
  }

  @Test
  void anIngestTokenIsRequiredWhenSetAndTheAgentSendsIt() throws Exception {
    try (CollectorProcess c = CollectorProcess.start("--no-auth", "--ingest-token", "agent-token-123")) {
      HttpResponse<String> anonymous = HTTP.send(HttpRequest.newBuilder(URI.create(c.otlpUrl() + "/v1/traces"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      HttpResponse<String> wrong = HTTP.send(HttpRequest.newBuilder(URI.create(c.otlpUrl() + "/v1/traces"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer nope")
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);

      String service = "token-app";
      try (AppProcess app = AppProcess.start(Jars.applicationJdks().get(0), Jars.jettySample(),
          "collector.url=" + c.otlpUrl() + ";service.name=" + service + ";collector.token=agent-token-123")) {
        app.get("/hello");
        c.api().awaitRequest("service=" + service, r -> true, Duration.ofSeconds(20));
      }
    }
  }

  @Test
  void anOpenBindIsRefusedWithoutCredentials() throws Exception {
    for (List<String> args : List.of(List.of("--bind", "0.0.0.0"),
        List.of("--bind", "0.0.0.0", "--no-auth", "--ingest-token", "t"))) {
      List<String> command = new java.util.ArrayList<>(List.of(Jars.javaOf(Path.of(System.getProperty("java.home"))),
          "-jar", Jars.collector().toString(), "--port", String.valueOf(ForkedProcess.freePort()),
          "--otlp-port", String.valueOf(ForkedProcess.freePort()), "--otlp-grpc-port", "off",
          "--data-dir", Files.createTempDirectory("lookout-bind").toString()));
      command.addAll(args);
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isNotZero();
      assertThat(out).as(args.toString()).containsAnyOf("without --ingest-token", "--no-auth is refused");
    }
  }

  @Test
  void agentsExportOverTlsPskAndKeysRotateWithoutARestart() throws Exception {
    Path data = Files.createTempDirectory("lookout-psk");
    String key1 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    String key2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    String neverValid = "0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de";
    Files.writeString(data.resolve("psk.keys"), "# identity key\nagent-a " + key1 + "\n");
    try (CollectorProcess c = CollectorProcess.start(data, "--no-auth", "--psk-port", "0")) {
      String psk = "psk://127.0.0.1:" + c.pskPort();
      Path jdk = Jars.applicationJdks().get(0);
      try (AppProcess good = AppProcess.start(jdk, Jars.jettySample(),
               "collector.url=" + psk + ";service.name=psk-good;psk.identity=agent-a;psk.key=" + key1);
           AppProcess wrong = AppProcess.start(jdk, Jars.jettySample(),
               "collector.url=" + psk + ";service.name=psk-wrong;psk.identity=agent-a;psk.key=" + neverValid);
           AppProcess unknown = AppProcess.start(jdk, Jars.jettySample(),
               "collector.url=" + psk + ";service.name=psk-unknown;psk.identity=nobody;psk.key=" + key1)) {
        good.get("/hello");
        wrong.get("/hello");
        unknown.get("/hello");
        c.api().awaitRequest("service=psk-good", r -> true, Duration.ofSeconds(20));

        // Rotation: a second key for the same identity, added while everything runs.
        Files.writeString(data.resolve("psk.keys"), "agent-a " + key1 + "\nagent-a " + key2 + "\n");
        try (AppProcess rotated = AppProcess.start(jdk, Jars.jettySample(),
            "collector.url=" + psk + ";service.name=psk-rotated;psk.identity=agent-a;psk.key=" + key2)) {
          rotated.get("/hello");
          good.get("/status/202");
          c.api().awaitRequest("service=psk-rotated", r -> true, Duration.ofSeconds(20));
          c.api().awaitRequest("service=psk-good", r -> r.get("status").asInt() == 202, Duration.ofSeconds(20));
        }
      }
      // A plain-text client on the PSK port is refused, and so were the wrong key and the unknown identity.
      try (java.net.Socket plain = new java.net.Socket("127.0.0.1", c.pskPort())) {
        plain.getOutputStream().write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
            .getBytes(StandardCharsets.US_ASCII));
        plain.setSoTimeout(10_000);
        byte[] answer = plain.getInputStream().readNBytes(64);
        assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.1 200");
      }
      Thread.sleep(500);
      assertThat(c.output()).contains("TLS-PSK connection from").contains("identity 'nobody:")
          .contains("no PSK handshake");
      assertThat(c.api().requests("service=psk-wrong")).isEmpty();
      assertThat(c.api().requests("service=psk-unknown")).isEmpty();
    }
  }

  private static String payload(String user, long expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return "{\"iss\":\"lookout\",\"sub\":\"" + user + "\",\"iat\":" + now + ",\"exp\":" + (now + expiresInSeconds) + "}";
  }

  private static String sign(String payload, byte[] key) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String input = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return input + "." + b64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static HttpResponse<String> login(String base, String user, String password) throws Exception {
    String body = JSON.createObjectNode().put("username", user).put("password", password).toString();
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/login")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
