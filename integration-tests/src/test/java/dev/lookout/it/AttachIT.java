package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.SharedCollector;
import dev.lookout.it.support.WovenClasses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent loaded into a running application ({@code agentmain}, here through {@code jcmd
 * JVMTI.agent_load}) after it served a request: the container's and the JDK's classes, loaded already,
 * are retransformed, and what the application serves next is recorded with its logs and exceptions.
 * A second application attached the same way takes every class from the weave cache: a
 * retransformed class's bytes come back from the JVM with their methods in another order each run,
 * and the cache keys them in a fixed one.
 */
class AttachIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String CACHED = WovenClasses.CACHED;

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  static Stream<Arguments> apps() {
    List<Path> jdks = Jars.applicationJdks();
    return Stream.of(Arguments.of("tomcat9", jdks.get(0)), Arguments.of("tomcat11", jdks.get(jdks.size() - 1)));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("apps")
  void anAgentLoadedIntoARunningApplicationRecordsItAndASecondTakesTheCache(String app, Path jdk,
      @TempDir Path cache) throws Exception {
    List<String> first = attachAndServe(app, jdk, cache);
    assertThat(first).as("woven when loaded").isNotEmpty()
        .anyMatch(l -> l.startsWith("java.lang.Thread"))
        .anyMatch(l -> l.startsWith("org.apache.coyote."))
        .noneMatch(l -> l.endsWith(CACHED));

    List<String> second = attachAndServe(app, jdk, cache);
    assertThat(second).as("every class taken from the cache").allMatch(l -> l.endsWith(CACHED));
    assertThat(WovenClasses.names(second)).as("the same classes as the first")
        .isEqualTo(WovenClasses.names(first));
  }

  /** Starts {@code app} without the agent, serves a request, loads the agent, and serves and checks more. */
  private List<String> attachAndServe(String app, Path jdk, Path cache) throws Exception {
    String service = app + "-attached-" + UUID.randomUUID().toString().substring(0, 6);
    try (AppProcess a = AppProcess.start(jdk, Jars.sample(app), null)) {
      assertThat(a.get("/hello").statusCode()).isEqualTo(200); // the servlet classes are loaded and run
      String agentArgs = "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";debug=true"
          + ";weave.cache=" + cache;
      jcmd(jdk, a.pid(), "JVMTI.agent_load", Jars.agent().toString(), "\"" + agentArgs + "\"");
      awaitOutput(a, "[lookout] agent ");

      assertThat(a.get("/hello").statusCode()).isEqualTo(200);
      assertThat(a.get("/boom").statusCode()).isEqualTo(500);
      String q = "service=" + service;
      JsonNode hello = collector.api().awaitRequest(q + "&path=/hello", r -> r.get("logCount").asInt() == 1, ARRIVAL);
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      JsonNode boom = collector.api().awaitRequest(q + "&path=/boom",
          r -> r.get("exceptionCount").asInt() == 1, ARRIVAL);
      assertThat(boom.get("status").asInt()).isEqualTo(500);
      assertThat(a.output()).doesNotContain("could not instrument").doesNotContain("agent disabled");
      return WovenClasses.in(a.output());
    }
  }

  private static void jcmd(Path jdk, long pid, String... command) throws IOException, InterruptedException {
    List<String> line = new ArrayList<>();
    line.add(Path.of(Jars.javaOf(jdk)).resolveSibling("jcmd").toString());
    line.add(Long.toString(pid));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
    assertThat(p.exitValue()).as("jcmd: " + out).isZero();
    assertThat(out).as("jcmd's answer").contains("return code: 0");
  }

  private static void awaitOutput(AppProcess a, String text) throws InterruptedException {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    while (!a.output().contains(text)) {
      assertThat(System.nanoTime()).as("waiting for \"%s\" in:%n%s", text, a.output()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

}
