package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.it.support.ForkedProcess;
import dev.lookout.it.support.Jars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./lookout-collector.jar} run as a program, the way a user on Linux runs it: its launcher
 * honours {@code JAVA_HOME} and {@code LOOKOUT_JAVA_OPTS}, {@code --help} lists every option, and
 * {@code --config} files configure it (the command line winning) or are refused by line.
 */
class SelfExecutableJarIT {

  private static final List<String> OPTIONS = List.of("--bind", "--port", "--otlp-port", "--otlp-grpc-port", "--psk-port", "--data-dir",
      "--db", "--max-body", "--retention", "--max-rows", "--max-db-size", "--admin-password", "--ingest-token",
      "--public-metrics", "--no-auth", "--config", "--help", "--version");

  @TempDir
  Path dir;

  @Test
  void theJarIsAnExecutableProgramAndStillAZip() throws Exception {
    Path jar = Jars.collector();
    assertThat(Files.isExecutable(jar)).as("chmod +x after mvn package").isTrue();
    assertThat(Files.getPosixFilePermissions(jar).toString()).as("readable by everyone").contains("OTHERS_READ");
    assertThat(new String(Files.readAllBytes(jar), 0, 10, StandardCharsets.US_ASCII)).startsWith("#!/bin/sh\n");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      assertThat(zip.getEntry("META-INF/MANIFEST.MF")).isNotNull();
    }
  }

  @Test
  void helpListsEveryOption() throws Exception {
    Result help = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "--help");
    assertThat(help.exit).as(help.output).isZero();
    assertThat(help.output).contains("Usage: lookout-collector");
    for (String option : OPTIONS) {
      assertThat(help.output).as("--help names " + option).contains(option);
    }
  }

  @Test
  void theLauncherHonoursJavaHomeAndLookoutJavaOpts() throws Exception {
    Result flags = run(Map.of("JAVA_HOME", System.getProperty("java.home"),
        "LOOKOUT_JAVA_OPTS", "-Xmx123m -XX:+PrintCommandLineFlags"), "--version");
    assertThat(flags.exit).as(flags.output).isZero();
    assertThat(flags.output).contains("-XX:MaxHeapSize=" + 123L * 1024 * 1024).contains("lookout-collector ");

    Result noJava = run(Map.of("JAVA_HOME", dir.resolve("no-jdk").toString()), "--help");
    assertThat(noJava.exit).isNotZero();
    assertThat(noJava.output).contains(dir.resolve("no-jdk/bin/java").toString());
  }

  @Test
  void aConfigFileConfiguresTheCollectorAndTheCommandLineWins() throws Exception {
    int filePort = ForkedProcess.freePort();
    int port = ForkedProcess.freePort();
    Path config = Files.writeString(dir.resolve("lookout.conf"), "# team collector\nno-auth=true\nport=" + filePort
        + "\notlp-port=" + ForkedProcess.freePort() + "\notlp-grpc-port=off\ndata-dir=" + dir.resolve("data") + "\nretention=2d\n");
    ProcessBuilder pb = launch(Map.of("JAVA_HOME", System.getProperty("java.home")), "--config", config.toString(),
        "--port", Integer.toString(port));
    Path log = dir.resolve("collector.log");
    Process p = pb.redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.readString(log).contains("Lookout collector started") && p.isAlive()
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.readString(log)).contains("UI http://127.0.0.1:" + port + "/").contains("retention 2d")
          .contains(dir.resolve("data").toString());
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBadConfigLineIsOneClearError() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.conf"), "no-auth=true\nport = 70x0\n");
    Result r = run(Map.of("JAVA_HOME", System.getProperty("java.home")), "--config", config.toString());
    assertThat(r.exit).isNotZero();
    assertThat(r.output.strip()).startsWith("lookout-collector: " + config + " line 2: ").contains("70x0")
        .doesNotContain("\n");
  }

  private record Result(int exit, String output) {}

  private Result run(Map<String, String> env, String... args) throws Exception {
    Process p = launch(env, args).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }

  /** {@code ./lookout-collector.jar args…} from its directory. */
  private static ProcessBuilder launch(Map<String, String> env, String... args) {
    Path jar = Jars.collector();
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add("./" + jar.getFileName());
    pb.command().addAll(List.of(args));
    pb.directory(jar.getParent().toFile()).redirectErrorStream(true);
    pb.environment().remove("LOOKOUT_JAVA_OPTS");
    pb.environment().putAll(env);
    return pb;
  }
}
