package dev.lookout.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** The packaged artifacts under test, exactly where SPEC §1 says they are. */
public final class Jars {

  private static final Path ROOT = Paths.get(System.getProperty("lookout.root", "..")).toAbsolutePath().normalize();

  private Jars() {}

  public static Path root() {
    return ROOT;
  }

  public static Path agent() {
    return existing(ROOT.resolve("agent/target/lookout-agent.jar"));
  }

  public static Path collector() {
    return existing(ROOT.resolve("collector/target/lookout-collector.jar"));
  }

  public static Path jettySample() {
    return existing(ROOT.resolve("integration-tests/target/lookout-sample-jetty.jar"));
  }

  /** The plain NIO file server (transferTo, copy loop, TLS). */
  public static Path nioSample() {
    return existing(ROOT.resolve("integration-tests/target/lookout-sample-nio.jar"));
  }

  /** The Netty file server (DefaultFileRegion, copy loop, SslHandler). */
  public static Path nettySample() {
    return existing(ROOT.resolve("integration-tests/target/lookout-sample-netty.jar"));
  }

  /** A sample application of {@code samples/<name>}: tomcat11, tomcat9, spring-boot. */
  public static Path sample(String name) {
    return existing(ROOT.resolve("samples/" + name + "/target/lookout-sample-" + name + ".jar"));
  }

  /** Where forked processes write their output, kept for reading after a failure. */
  public static Path logDir() {
    Path dir = ROOT.resolve("integration-tests/target/it-logs");
    try {
      Files.createDirectories(dir);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return dir;
  }

  /** The JDKs the application side is tested on: this build's JDK, and Temurin 25 when installed. */
  public static List<Path> applicationJdks() {
    List<Path> jdks = new ArrayList<>();
    jdks.add(Paths.get(System.getProperty("java.home")));
    Path temurin25 = Paths.get(System.getProperty("lookout.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"));
    if (Files.isExecutable(temurin25.resolve("bin/java"))) {
      jdks.add(temurin25);
    }
    return jdks;
  }

  public static String javaOf(Path jdk) {
    return jdk.resolve("bin/java").toString();
  }

  private static Path existing(Path jar) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run 'mvn -B verify' from the root so it is packaged first");
    }
    return jar;
  }
}
