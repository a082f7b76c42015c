package dev.lookout.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceNamesTest {

  @Test
  void aJarNameLosesItsVersion() {
    assertThat(ServiceNames.fromCommandLine("/opt/shop-1.4.2.jar --port 1")).isEqualTo("shop");
    assertThat(ServiceNames.fromCommandLine("app-2.0.0-SNAPSHOT.jar")).isEqualTo("app");
    assertThat(ServiceNames.fromCommandLine("order-service-3.jar")).isEqualTo("order-service");
    assertThat(ServiceNames.fromCommandLine("billing_1.0.RELEASE.jar")).isEqualTo("billing");
    assertThat(ServiceNames.fromCommandLine("C:\\apps\\my-app.jar")).isEqualTo("my-app");
    assertThat(ServiceNames.fromCommandLine("log4j2-demo.jar")).isEqualTo("log4j2-demo");
    assertThat(ServiceNames.fromCommandLine("1.0.jar")).isEqualTo("1.0");
    assertThat(ServiceNames.fromCommandLine("svc-2-api.jar")).isEqualTo("svc-2-api");
    assertThat(ServiceNames.fromCommandLine("svc-1.0.0-rc2.jar")).isEqualTo("svc");
    assertThat(ServiceNames.fromCommandLine("tool-3.1-all.jar")).isEqualTo("tool");
    assertThat(ServiceNames.fromCommandLine("lookout-sample-tomcat11.jar")).isEqualTo("lookout-sample-tomcat11");
  }

  @Test
  void aStandaloneTomcatIsNamedAfterItsCatalinaBase() {
    assertThat(ServiceNames.fromCommandLine("org.apache.catalina.startup.Bootstrap start", "/srv/tomcat/shop/"))
        .isEqualTo("shop");
    assertThat(ServiceNames.fromCommandLine("org.apache.catalina.startup.Bootstrap start", null)).isEqualTo("Bootstrap");
    assertThat(ServiceNames.fromCommandLine("com.acme.Main", "/srv/x")).isEqualTo("Main");
  }

  @Test
  void nothingKnownGivesAName() {
    assertThat(ServiceNames.fromCommandLine(null)).isEqualTo("java-app");
    assertThat(ServiceNames.fromCommandLine(" ")).isEqualTo("java-app");
  }
}
