package dev.lookout.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void agentArgumentBeatsSystemPropertyBeatsEnvironmentBeatsOtel() {
    Map<String, String> env = Map.of("LOOKOUT_SERVICE_NAME", "from-env", "OTEL_SERVICE_NAME", "from-otel");
    assertThat(new AgentConfig("service.name=from-arg", props("lookout.service.name", "from-prop"), env)
        .serviceName()).isEqualTo("from-arg");
    assertThat(new AgentConfig(null, props("lookout.service.name", "from-prop"), env).serviceName())
        .isEqualTo("from-prop");
    assertThat(new AgentConfig(null, props(), env).serviceName()).isEqualTo("from-env");
    assertThat(new AgentConfig(null, props(), Map.of("OTEL_SERVICE_NAME", "from-otel")).serviceName())
        .isEqualTo("from-otel");
    assertThat(new AgentConfig(null, props("otel.service.name", "otel-prop"), Map.of("OTEL_SERVICE_NAME", "x"))
        .serviceName()).isEqualTo("otel-prop");
  }

  @Test
  void agentArgumentTakesSeveralKeysWithOrWithoutPrefix() {
    AgentConfig c = new AgentConfig("collector.url=http://h:1/;lookout.enabled=false;buffer.max=50",
        props(), Map.of());
    assertThat(c.collectorUrl()).isEqualTo("http://h:1");
    assertThat(c.enabled()).isFalse();
    assertThat(c.bufferMax()).isEqualTo(50);
  }

  @Test
  void theEmbeddedCollectorRunsBesideTheAgentOnItsPortAndDirectoryWithoutOtlpListeners() {
    assertThat(new AgentConfig(null, props(), Map.of()).embeddedJar()).isNull();
    assertThat(new AgentConfig("embedded=false", props(), Map.of()).embeddedJar()).isNull();
    assertThat(new AgentConfig("embedded=true", props(), Map.of()).embeddedJar().getFileName().toString())
        .isEqualTo("lookout-collector.jar");
    assertThat(new AgentConfig("embedded=/opt/c.jar", props(), Map.of()).embeddedJar().toString()).isEqualTo("/opt/c.jar");
    assertThat(new AgentConfig("embedded=true", props(), Map.of()).embeddedArgs()).containsExactly(
        "--port", "7070", "--data-dir", "./lookout-data", "--otlp-port", "off", "--otlp-grpc-port", "off");
    AgentConfig options = new AgentConfig("embedded=true;embedded.port=7071", props("lookout.embedded.options",
        " --no-auth  --otlp-port=4318 --data-dir /var/lookout"), Map.of());
    assertThat(options.embeddedArgs()).containsExactly("--port", "7071", "--otlp-grpc-port", "off", "--no-auth",
        "--otlp-port=4318", "--data-dir", "/var/lookout");
    assertThat(options.startLine("1.0")).contains("collector embedded (UI http://127.0.0.1:7071/)");
  }

  @Test
  void exportsAreGzippedToAnotherHostAndSentAsTheyAreOverLoopbackUnlessTold() {
    for (String local : new String[] {"http://127.0.0.1:4318", "http://localhost:4318/", "http://[::1]:4318",
        "http://user:pw@127.0.0.2", "psk://localhost:4443",
        "http://127.255.10.9/base"}) {
      assertThat(new AgentConfig("collector.url=" + local, props(), Map.of()).gzip()).as(local).isFalse();
    }
    for (String remote : new String[] {"http://collector.example:4318", "https://10.0.0.5:4318/base",
        "psk://lookout.example:4443", "http://127.0.0.1.example.com", "http://127.0.0:4318",
        "http://127.0.0.1234", "http://127..0.1", "http://[2001:db8::1]:4318",
        "http://localhost@collector.example"}) {
      assertThat(new AgentConfig("collector.url=" + remote, props(), Map.of()).gzip()).as(remote).isTrue();
    }
    assertThat(new AgentConfig("compression=gzip", props(), Map.of()).gzip()).isTrue();
    assertThat(new AgentConfig(null, props("lookout.compression", "none", "lookout.collector.url", "http://far:1"),
        Map.of()).gzip()).isFalse();
    assertThat(new AgentConfig(null, props(), Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip")).gzip()).isTrue();
    AgentConfig wrong = new AgentConfig("compression=zstd", props(), Map.of());
    assertThat(wrong.gzip()).isFalse();
    assertThat(wrong.problems()).containsExactly("invalid lookout.compression=zstd (not gzip or none): using the default");
  }

  @Test
  void theWeaveCacheIsInTheUsersCacheDirectoryUnlessToldOtherwise() {
    java.nio.file.Path home = java.nio.file.Path.of("/home/ann");
    assertThat(new AgentConfig(null, props("user.home", "/home/ann"), Map.of()).weaveCache())
        .isEqualTo(home.resolve(".cache/lookout/weave"));
    assertThat(new AgentConfig(null, props("user.home", "/home/ann"), Map.of("XDG_CACHE_HOME", "/var/cache/ann"))
        .weaveCache()).isEqualTo(java.nio.file.Path.of("/var/cache/ann/lookout/weave"));
    assertThat(new AgentConfig(null, props("user.home", "/home/ann"), Map.of("XDG_CACHE_HOME", "relative"))
        .weaveCache()).as("a relative XDG_CACHE_HOME is ignored, as the XDG spec says")
        .isEqualTo(home.resolve(".cache/lookout/weave"));
    assertThat(new AgentConfig(null, props("user.home", "?"), Map.of()).weaveCache()).as("no home").isNull();
    assertThat(new AgentConfig(null, props(), Map.of()).weaveCache()).isNull();
    for (String off : new String[] {"off", "none", "false", "OFF"}) {
      AgentConfig c = new AgentConfig("weave.cache=" + off, props("user.home", "/home/ann"), Map.of());
      assertThat(c.weaveCache()).as(off).isNull();
      assertThat(c.problems()).isEmpty();
    }
    assertThat(new AgentConfig(null, props("lookout.weave.cache", "/srv/weave"), Map.of()).weaveCache())
        .isEqualTo(java.nio.file.Path.of("/srv/weave"));
    assertThat(new AgentConfig(null, props(), Map.of("LOOKOUT_WEAVE_CACHE", "here")).weaveCache())
        .isEqualTo(java.nio.file.Path.of("here").toAbsolutePath());
    AgentConfig wrong = new AgentConfig(null, props("lookout.weave.cache", "bad\u0000name", "user.home", "/home/ann"),
        Map.of());
    assertThat(wrong.weaveCache()).isEqualTo(home.resolve(".cache/lookout/weave"));
    assertThat(wrong.problems()).singleElement().asString().startsWith("invalid lookout.weave.cache=");
  }

  @Test
  void defaultsFollowTheSpec() {
    AgentConfig c = new AgentConfig(null, props("sun.java.command", "/opt/app/shop-1.2.jar --port 80"), Map.of());
    assertThat(c.enabled()).isTrue();
    assertThat(c.collectorUrl()).isEqualTo("http://127.0.0.1:4318");
    assertThat(c.bufferMax()).isEqualTo(10_000);
    assertThat(c.collectorToken()).isNull();
    assertThat(c.serviceName()).isEqualTo("shop");
    assertThat(new AgentConfig(null, props("sun.java.command", "com.acme.OrderService arg"), Map.of()).serviceName())
        .isEqualTo("OrderService");
  }

  @Test
  void typedValuesAndTheirFallbacks() {
    AgentConfig c = new AgentConfig("a=8kb;b=2MB;c=12;r=0.25;bad=x;big=7", props(), Map.of());
    assertThat(c.bytes("a", 0)).isEqualTo(8192);
    assertThat(c.bytes("b", 0)).isEqualTo(2 * 1024 * 1024);
    assertThat(c.bytes("c", 0)).isEqualTo(12);
    assertThat(c.bytes("bad", 99)).isEqualTo(99);
    assertThat(c.ratio("r", 1)).isEqualTo(0.25);
    assertThat(c.ratio("big", 1)).isEqualTo(1.0);
    assertThat(c.integer("bad", 5)).isEqualTo(5);
  }

  @Test
  void resourceAttributesComeFromOtelOrOurKey() {
    AgentConfig c = new AgentConfig(null, props(), Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod, team = pay"));
    assertThat(c.resourceAttributes()).containsEntry("deployment.environment", "prod").containsEntry("team", "pay");
  }

  @Test
  void badValuesAreNamedOnceEachAndTheirDefaultsKept() {
    AgentConfig c = new AgentConfig("buffer.bytes=12qq;ignore.paths=regex:/a(b;colector.url=http://x",
        props("lookout.sample.ratio", "lots", "lookout.logs.level", "chatty", "lookout.capture.headers", "maybe",
            "lookout.nonsense", "1", "lookout.buffer.max", "10k"),
        Map.of("LOOKOUT_COLLECTOR_PORT", "1"));
    assertThat(c.bufferBytes()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.ignorePathFilter().isEmpty()).isTrue();
    assertThat(c.sampleRatio()).isEqualTo(1.0);
    assertThat(c.logsLevel()).isEqualTo(3);
    assertThat(c.captureHeaders()).isTrue();
    assertThat(c.bufferMax()).isEqualTo(10_000);
    assertThat(c.problems()).containsExactlyInAnyOrder(
        "invalid lookout.buffer.bytes=12qq (not a size such as 512kb, 16mb or a byte count): using 16777216 bytes",
        "invalid lookout.ignore.paths=regex:/a(b (Unclosed group): no path is ignored",
        "invalid lookout.sample.ratio=lots (not a number): using 1.0",
        "invalid lookout.logs.level=CHATTY (not TRACE, DEBUG, INFO, WARN, ERROR or OFF): using INFO",
        "invalid lookout.capture.headers=maybe (not true or false): using true",
        "invalid lookout.buffer.max=10k (not a whole number): using 10000",
        "unknown agent argument colector.url: ignored",
        "unknown system property -Dlookout.nonsense: ignored");
    assertThat(new AgentConfig("service.name=x", props("lookout.debug", "true"), Map.of()).problems()).isEmpty();
  }

  @Test
  void aBadPskKeyIsNamed() {
    AgentConfig c = new AgentConfig("collector.url=psk://h:1;psk.identity=me;psk.key=abz1", props(), Map.of());
    assertThat(c.problems()).containsExactly(
        "invalid lookout.psk.key (not an even number of hex digits): nothing is exported");
  }

  @Test
  void redactionListsAddToTheDefaultsUnlessTheyStartWithEqualsBang() {
    AgentConfig none = new AgentConfig(null, props(), Map.of());
    assertThat(none.redactHeaders()).isEqualTo(dev.lookout.agent.redact.Redactor.DEFAULT_HEADERS);
    assertThat(none.redactParams()).isEqualTo(dev.lookout.agent.redact.Redactor.DEFAULT_PARAMS);
    AgentConfig added = new AgentConfig("redact.headers=x-mine", props("lookout.redact.params", "pin"), Map.of());
    dev.lookout.agent.redact.Redactor r = new dev.lookout.agent.redact.Redactor(added.redactHeaders(), added.redactParams());
    assertThat(r.isSecretHeader("X-Mine")).isTrue();
    assertThat(r.isSecretHeader("Authorization")).isTrue();
    assertThat(r.isSecretHeader("X-CSRF-Token")).isTrue();
    assertThat(r.isSecretParam("pin")).isTrue();
    assertThat(r.isSecretParam("password")).isTrue();
    AgentConfig replaced = new AgentConfig("redact.headers==!authorization,cookie", props("lookout.redact.params", "=!pin"), Map.of());
    r = new dev.lookout.agent.redact.Redactor(replaced.redactHeaders(), replaced.redactParams());
    assertThat(r.isSecretHeader("authorization")).isTrue();
    assertThat(r.isSecretHeader("cookie")).isTrue();
    assertThat(r.isSecretHeader("x-api-key")).isFalse();
    assertThat(r.isSecretParam("pin")).isTrue();
    assertThat(r.isSecretParam("password")).isFalse();
  }

  @Test
  void theStartLineSaysWhatIsOn() {
    AgentConfig c = new AgentConfig("service.name=shop;collector.url=http://u:p@c:4318;sample.ratio=0.5;logs.level=WARN;io.enabled=false",
        props(), Map.of());
    assertThat(c.startLine("1.2.3")).isEqualTo(
        "agent 1.2.3 started: service shop, collector http://c:4318 (gzip), requests, logs (WARN), headers, sampling 0.5");
    assertThat(new AgentConfig("service.name=s;collector.url=http://127.0.0.1:4318;compression=none", props(), Map.of())
        .startLine("1")).isEqualTo("agent 1 started: service s, collector http://127.0.0.1:4318, requests, logs (INFO), io, headers");
    assertThat(new AgentConfig("service.name=s;collector.url=psk://c:4400;capture.bodies=true", props(), Map.of())
        .startLine(null)).isEqualTo(
        "agent dev started: service s, collector psk://c:4400 (gzip), requests, logs (INFO), io, headers, bodies (max 8192 bytes)");
  }
}
