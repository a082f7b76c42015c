package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.SharedCollector;
import dev.lookout.it.support.WovenClasses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weave cache ({@code lookout.weave.cache}): an application started a second time gets every class
 * the first start wove, each taken from the cache rather than woven again, and records exactly as the
 * first did: requests with their logs and exceptions, through servlets matched by their super types
 * (Tomcat's and Spring's) and the JDK classes retransformed at premain.
 */
class WeaveCacheIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(30);
  private static final String CACHED = WovenClasses.CACHED;

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  static Stream<Arguments> apps() {
    List<Arguments> cases = new ArrayList<>();
    List<Path> jdks = Jars.applicationJdks();
    cases.add(Arguments.of("tomcat11", jdks.get(jdks.size() - 1)));
    cases.add(Arguments.of("tomcat9", jdks.get(0)));
    cases.add(Arguments.of("spring-boot", jdks.get(0)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("apps")
  void aSecondStartTakesEveryWovenClassFromTheCacheAndRecordsTheSame(String app, Path jdk, @TempDir Path cache)
      throws Exception {
    Start first = start(app, jdk, cache);
    assertThat(first.woven).as("woven by the first start").isNotEmpty()
        .anyMatch(l -> l.startsWith("java.lang.Thread"))
        .noneMatch(l -> l.endsWith(CACHED));
    try (Stream<Path> files = Files.walk(cache)) {
      assertThat(files.filter(f -> f.toString().endsWith(".woven")).count()).isGreaterThanOrEqualTo(first.woven.size());
    }

    Start second = start(app, jdk, cache);
    assertThat(second.woven).as("every class taken from the cache").allMatch(l -> l.endsWith(CACHED));
    assertThat(WovenClasses.names(second.woven)).as("the same classes as the first start wove")
        .isEqualTo(WovenClasses.names(first.woven));
    assertThat(second.output).doesNotContain("could not instrument").doesNotContain("weave.cache not used");
  }

  /**
   * A directory other users may write into is refused (its entries would become code in the application):
   * one warning on stderr, and the agent weaves and records as without a cache.
   */
  @org.junit.jupiter.api.Test
  void aDirectoryOthersMayWriteIntoIsNamedOnceAndNotUsed(@TempDir Path parent) throws Exception {
    Path shared = Files.createDirectory(parent.resolve("shared"));
    Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    String service = "refused-" + UUID.randomUUID().toString().substring(0, 6);
    String agentArgs = "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";weave.cache=" + shared;
    try (AppProcess a = AppProcess.startStderrApart(Jars.applicationJdks().get(0), Jars.sample("tomcat11"), agentArgs)) {
      assertThat(a.get("/hello").statusCode()).isEqualTo(200);
      collector.api().awaitRequest("service=" + service + "&path=/hello", r -> r.get("logCount").asInt() == 1, ARRIVAL);
      List<String> warnings = a.stderr().lines().filter(l -> l.contains("weave.cache")).collect(Collectors.toList());
      assertThat(warnings).singleElement().asString()
          .startsWith("[lookout] warning: lookout.weave.cache not used")
          .contains("may be written by other users");
    }
    try (Stream<Path> files = Files.list(shared)) {
      assertThat(files).as("nothing written into it").isEmpty();
    }
  }

  /** What one start of {@code app} wove, after it served and recorded a request, a log line and an exception. */
  private Start start(String app, Path jdk, Path cache) {
    String service = app + "-" + UUID.randomUUID().toString().substring(0, 6);
    String agentArgs = "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";debug=true"
        + ";weave.cache=" + cache;
    try (AppProcess a = AppProcess.start(jdk, Jars.sample(app), agentArgs)) {
      assertThat(a.get("/hello").statusCode()).isEqualTo(200);
      assertThat(a.get("/boom").statusCode()).isEqualTo(500);
      assertThat(a.get("/spawn").statusCode()).isEqualTo(200);

      String q = "service=" + service;
      JsonNode hello = collector.api().awaitRequest(q + "&path=/hello", r -> r.get("logCount").asInt() == 1, ARRIVAL);
      assertThat(hello.get("status").asInt()).isEqualTo(200);
      JsonNode boom = collector.api().awaitRequest(q + "&path=/boom",
          r -> r.get("exceptionCount").asInt() == 1, ARRIVAL);
      assertThat(boom.get("status").asInt()).isEqualTo(500);
      awaitLog(q + "&q=" + LookoutApi.encode("worker died")); // Thread.dispatchUncaughtException, retransformed
      String output = a.output();
      List<String> woven = WovenClasses.in(output);
      return new Start(woven, output);
    }
  }

  private record Start(List<String> woven, String output) {}

  private static void awaitLog(String query) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    do {
      if (collector.api().get("/api/logs?" + query).body().get("items").size() > 0) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("no log for " + query);
  }
}
