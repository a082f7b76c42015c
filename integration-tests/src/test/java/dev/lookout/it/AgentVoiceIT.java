package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent says what it does, on stderr only (SPEC §1): a start line, one line per invalid
 * configuration value (the rest still working), one warning when the collector cannot be reached or
 * refuses (with the status) and one line when it is back; {@code lookout.quiet=true} silences it.
 */
class AgentVoiceIT {

  private static final Path JDK = Path.of(System.getProperty("java.home"));

  @Test
  void saysItStartedNamesBadValuesWarnsOnceAndSaysWhenTheCollectorIsBack() throws Exception {
    int otlpPort = ForkedProcess.freePort();
    String service = "voice-" + UUID.randomUUID().toString().substring(0, 6);
    String args = "collector.url=http://127.0.0.1:" + otlpPort + ";service.name=" + service
        + ";ignore.paths=regex:/a(b;buffer.bytes=12qq;colector.token=oops";
    try (AppProcess app = AppProcess.startStderrApart(JDK, Jars.jettySample(), args, "-Dlookout.bogus.key=1")) {
      String start = awaitAgentLine(app, l -> l.contains("started:"), Duration.ofSeconds(20));
      assertThat(start).startsWith("[lookout] agent ").contains("started: service " + service
          + ", collector http://127.0.0.1:" + otlpPort + ", requests, logs (INFO), io, headers");
      assertThat(start).doesNotContain("agent dev");
      assertThat(agentLines(app)).filteredOn(l -> l.contains("lookout.ignore.paths")).singleElement().asString()
          .contains("invalid lookout.ignore.paths=regex:/a(b").contains("no path is ignored");
      assertThat(agentLines(app)).filteredOn(l -> l.contains("lookout.buffer.bytes")).singleElement().asString()
          .contains("invalid lookout.buffer.bytes=12qq");
      assertThat(agentLines(app)).filteredOn(l -> l.contains("colector.token")).singleElement().asString()
          .contains("unknown agent argument colector.token");
      assertThat(agentLines(app)).filteredOn(l -> l.contains("lookout.bogus.key")).singleElement().asString()
          .contains("unknown system property -Dlookout.bogus.key");

      // nobody at the collector's address: one warning, however many exports fail
      String warning = awaitAgentLine(app, l -> l.contains("warning"), Duration.ofSeconds(40), () -> app.get("/hello"));
      assertThat(warning).contains("cannot export to collector http://127.0.0.1:" + otlpPort).contains("unreachable (connection refused)");
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < until) {
        assertThat(app.get("/hello").statusCode()).isEqualTo(200);
        ForkedProcess.sleep(300);
      }
      assertThat(agentLines(app)).filteredOn(l -> l.contains("warning")).hasSize(1);

      // the collector comes up where it was expected: one line, and the records arrive
      try (CollectorProcess collector = CollectorProcess.start(Files.createTempDirectory("lookout-voice"),
          ForkedProcess.freePort(), otlpPort, "--no-auth")) {
        String back = awaitAgentLine(app, l -> l.contains("reachable again"), Duration.ofSeconds(40),
            () -> app.get("/hello?after=1"));
        assertThat(back).isEqualTo("[lookout] collector http://127.0.0.1:" + otlpPort + " reachable again; export resumed");
        collector.api().awaitRequest("service=" + service + "&path=/hello", r -> true, Duration.ofSeconds(20));
      }
      assertThat(app.output()).doesNotContain("[lookout]");
    }
  }

  @Test
  void aRefusingCollectorIsNamedWithItsStatusAndQuietSaysNothing() throws Exception {
    try (CollectorProcess collector = CollectorProcess.start("--no-auth", "--ingest-token", "right-token");
        AppProcess loud = AppProcess.startStderrApart(JDK, Jars.jettySample(),
            "collector.url=" + collector.otlpUrl() + ";service.name=voice-401");
        AppProcess quiet = AppProcess.startStderrApart(JDK, Jars.jettySample(),
            "collector.url=" + collector.otlpUrl() + ";service.name=voice-quiet;quiet=true;buffer.bytes=12qq",
            "-Dlookout.bogus.key=1")) {
      String warning = awaitAgentLine(loud, l -> l.contains("warning"), Duration.ofSeconds(30), () -> {
        loud.get("/hello");
        quiet.get("/hello");
      });
      assertThat(warning).contains("refused with HTTP 401");
      for (int i = 0; i < 5; i++) {
        assertThat(quiet.get("/hello").statusCode()).isEqualTo(200);
        assertThat(loud.get("/hello").statusCode()).isEqualTo(200);
        ForkedProcess.sleep(400);
      }
      assertThat(agentLines(loud)).filteredOn(l -> l.contains("warning")).hasSize(1);
      assertThat(agentLines(quiet)).isEmpty();
      assertThat(loud.output()).doesNotContain("[lookout]");
      assertThat(quiet.output()).doesNotContain("[lookout]");
    }
  }

  private static List<String> agentLines(AppProcess app) {
    return Arrays.stream(app.stderr().split("\n")).filter(l -> l.contains("[lookout]")).collect(Collectors.toList());
  }

  private static String awaitAgentLine(AppProcess app, Predicate<String> wanted, Duration timeout) {
    return awaitAgentLine(app, wanted, timeout, () -> {});
  }

  /** Waits for an agent line on stderr, doing {@code meanwhile} (say, a request) between looks. */
  private static String awaitAgentLine(AppProcess app, Predicate<String> wanted, Duration timeout, Runnable meanwhile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : agentLines(app)) {
        if (wanted.test(line)) {
          return line;
        }
      }
      meanwhile.run();
      ForkedProcess.sleep(250);
    }
    throw new AssertionError("no such agent line within " + timeout + "; stderr:\n" + app.stderr());
  }
}
