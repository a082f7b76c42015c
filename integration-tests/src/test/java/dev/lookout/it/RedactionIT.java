package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.RecordingProxy;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets configured for redaction never leave the application JVM (SPEC §3): an application with
 * body capture on receives secrets in headers, query, a form body, a JSON body (also echoed in the
 * response and written to its log) and an exception message. Every byte the agent sent is searched
 * (a relay between agent and collector keeps the raw OTLP payloads), and so is every file of the
 * collector's data directory; the non-secret parts arrive, the secrets show as {@code ***}.
 * Tomcat 11 (jakarta, Log4j2) and Tomcat 9 (javax, java.util.logging).
 */
class RedactionIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String MASK = "***";
  private static final String AUTH = "auth-SECRET-7f1e";
  private static final String COOKIE = "cookie-SECRET-92ab";
  private static final String CUSTOM = "custom-SECRET-41cd";
  private static final String QUERY = "query-SECRET-0d3f";
  private static final String FORM = "form-SECRET-c81a";
  private static final String JSON = "json-SECRET-5e27";
  private static final String NESTED = "nested-SECRET-b6f0";
  private static final String EXCEPTION = "exception-SECRET-3a9d";
  private static final String EXCEPTION_AUTH = "exauth-SECRET-e4c2";
  private static final List<String> SECRETS =
      List.of(AUTH, COOKIE, CUSTOM, QUERY, FORM, JSON, NESTED, EXCEPTION, EXCEPTION_AUTH);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"tomcat11", "tomcat9"})
  void noConfiguredSecretReachesTheCollector(String app) throws Exception {
    String service = app + "-redact-" + UUID.randomUUID().toString().substring(0, 6);
    try (CollectorProcess collector = CollectorProcess.start("--no-auth");
        RecordingProxy relay = RecordingProxy.to(collector.otlpUrl())) {
      LookoutApi api = collector.api();
      String agentArgs = "collector.url=" + relay.url() + ";service.name=" + service + ";capture.bodies=true"
          + ";redact.headers=authorization,cookie,set-cookie,proxy-authorization,x-api-key,x-custom-secret";
      String bigJson = "{\"password\":\"" + JSON + "\",\"filler\":\"" + "x".repeat(100_000) + "\"}";
      try (AppProcess a = AppProcess.start(Paths.get(System.getProperty("java.home")), Jars.sample(app), agentArgs)) {
        assertThat(a.get("/hello?token=" + QUERY + "&x=visible", "Authorization", "Bearer " + AUTH,
            "Cookie", "sid=" + COOKIE, "X-Custom-Secret", CUSTOM, "X-Visible", "plain").statusCode()).isEqualTo(200);
        HttpResponse<String> form = a.post("/form", "user=alice&password=" + FORM, "application/x-www-form-urlencoded");
        assertThat(form.body()).isEqualTo("user=alice");
        String json = "{\"username\":\"alice\",\"password\":\"" + JSON + "\",\"profile\":{\"api_key\":\"" + NESTED
            + "\",\"city\":\"Lyon\"}}";
        HttpResponse<String> login = a.post("/login", json, "application/json");
        assertThat(login.body()).isEqualTo("{\"echo\":" + json + "}");
        assertThat(a.get("/login?password=" + EXCEPTION, "Authorization", "Bearer " + EXCEPTION_AUTH).statusCode())
            .isEqualTo(500);
        // Larger than the cap: the application still reads and writes every byte unchanged.
        assertThat(a.post("/login", bigJson, "application/json").body()).isEqualTo("{\"echo\":" + bigJson + "}");

        String q = "service=" + service;
        JsonNode hello = api.awaitRequest(q + "&path=/hello", r -> true, ARRIVAL);
        assertThat(hello.get("query").asText()).isEqualTo("token=" + MASK + "&x=visible");
        JsonNode headers = detail(api, hello).get("request").get("headers").get("request");
        assertThat(headers.get("authorization").get(0).asText()).isEqualTo(MASK);
        assertThat(headers.get("cookie").get(0).asText()).isEqualTo(MASK);
        assertThat(headers.get("x-custom-secret").get(0).asText()).isEqualTo(MASK);
        assertThat(headers.get("x-visible").get(0).asText()).isEqualTo("plain");

        JsonNode formBodies = awaitBodies(api, q + "&path=/form&method=POST", b -> b.has("request"));
        assertThat(formBodies.get("request").asText()).isEqualTo("user=alice&password=" + MASK);
        assertThat(formBodies.get("response").asText()).isEqualTo("user=alice");

        JsonNode loginBodies = awaitBodies(api, q + "&path=/login&method=POST",
            b -> b.has("request") && !b.get("request").asText().contains("truncated"));
        String masked = "{\"username\":\"alice\",\"password\":\"" + MASK + "\",\"profile\":{\"api_key\":\"" + MASK
            + "\",\"city\":\"Lyon\"}}";
        assertThat(loginBodies.get("request").asText()).isEqualTo(masked);
        assertThat(loginBodies.get("response").asText()).isEqualTo("{\"echo\":" + masked + "}");

        JsonNode bigDetail = awaitDetail(api, q + "&path=/login&method=POST",
            d -> d.get("request").get("bodies").path("request").asText().contains("truncated"));
        String bigBody = bigDetail.get("request").get("bodies").get("request").asText();
        assertThat(bigBody).startsWith("{\"password\":\"" + MASK + "\",\"filler\":\"xxx")
            .endsWith("[truncated: " + bigJson.length() + " bytes in total]")
            .hasSizeLessThan(8 * 1024 + 100);
        assertThat(bigDetail.get("request").get("attributes").get("lookout.body.request.size").asLong())
            .isEqualTo(bigJson.length());

        JsonNode rejected = awaitGroup(api, service, "login rejected");
        assertThat(rejected.get("message").asText())
            .isEqualTo("login rejected: password=" + MASK + "; Authorization: " + MASK);
        JsonNode failed = api.awaitRequest(q + "&path=/login&status=500", r -> r.get("exceptionCount").asInt() > 0,
            ARRIVAL);
        JsonNode thrown = detail(api, failed).get("exceptions").get(0);
        assertThat(thrown.get("stacktrace").asText()).contains("login rejected: password=" + MASK);

        JsonNode logged = awaitLog(api, q + "&q=" + LookoutApi.encode("login attempt"),
            l -> l.get("message").asText().contains("username"));
        assertThat(logged.get("message").asText()).contains("\"username\":\"alice\"")
            .contains("\"password\":\"" + MASK + "\"").contains("\"api_key\":\"" + MASK + "\"");

        // Everything has arrived: search every byte sent and every byte stored.
        String sent = new String(relay.recorded(), StandardCharsets.ISO_8859_1);
        assertThat(relay.requests()).isGreaterThan(0);
        assertThat(sent).contains("alice").contains("x-visible").contains("login rejected").contains("Lyon")
            .contains("lookout.body.request");
        for (String secret : SECRETS) {
          assertThat(sent).as("OTLP payloads sent by the agent").doesNotContain(secret);
        }
        assertThat(a.output()).as("the application itself did see the secrets").contains(JSON);
      }
      String stored = storedBytes(collector.dataDir());
      assertThat(stored).contains("alice").contains("Lyon");
      for (String secret : SECRETS) {
        assertThat(stored).as("collector data directory").doesNotContain(secret);
      }
    }
  }

  /** Every file of the data directory (lookout.db, -wal, -shm, anything else), as bytes. */
  private static String storedBytes(Path dataDir) throws Exception {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
      }
    }
    assertThat(all.length()).isGreaterThan(0);
    return all.toString();
  }

  private static JsonNode detail(LookoutApi api, JsonNode request) {
    return api.get("/api/requests/" + request.get("traceId").asText()).body();
  }

  private static JsonNode awaitDetail(LookoutApi api, String query, Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = api.requests(query);
      for (JsonNode item : last) {
        JsonNode d = detail(api, item);
        if (wanted.test(d)) {
          return d;
        }
      }
      ForkedProcess.sleep(100);
    }
    throw new AssertionError("no request detail as wanted for ?" + query + "; last: " + last);
  }

  private static JsonNode awaitBodies(LookoutApi api, String query, Predicate<JsonNode> wanted) {
    return awaitDetail(api, query, d -> wanted.test(d.get("request").get("bodies"))).get("request").get("bodies");
  }

  private static JsonNode awaitGroup(LookoutApi api, String service, String messageStart) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode g : api.get("/api/exceptions?service=" + service).body().get("items")) {
        if (g.get("message").asText().startsWith(messageStart)) {
          return g;
        }
      }
      ForkedProcess.sleep(100);
    }
    throw new AssertionError("no exception group starting " + messageStart);
  }

  private static JsonNode awaitLog(LookoutApi api, String query, Predicate<JsonNode> wanted) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode item : api.get("/api/logs?" + query).body().get("items")) {
        if (wanted.test(item)) {
          return item;
        }
      }
      ForkedProcess.sleep(100);
    }
    throw new AssertionError("no log for " + query);
  }
}
