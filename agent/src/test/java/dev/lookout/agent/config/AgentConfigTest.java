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
  void defaultsFollowTheSpec() {
    AgentConfig c = new AgentConfig(null, props("sun.java.command", "/opt/app/shop-1.2.jar --port 80"), Map.of());
    assertThat(c.enabled()).isTrue();
    assertThat(c.collectorUrl()).isEqualTo("http://127.0.0.1:4318");
    assertThat(c.bufferMax()).isEqualTo(10_000);
    assertThat(c.collectorToken()).isNull();
    assertThat(c.serviceName()).isEqualTo("shop-1.2");
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
}
