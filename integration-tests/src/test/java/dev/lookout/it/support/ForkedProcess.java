package dev.lookout.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A JVM started by a test, its output captured in a file under target/it-logs. */
public class ForkedProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  /** Where stderr went when it was kept apart from stdout, else null (both in {@link #log}). */
  private final Path errLog;

  protected ForkedProcess(String name, List<String> command) {
    this(name, command, false);
  }

  /** {@code stderrApart}: stderr in a file of its own ({@link #stderr()}), {@link #output()} is then stdout only. */
  protected ForkedProcess(String name, List<String> command, boolean stderrApart) {
    String stem = name + "-" + System.nanoTime();
    this.log = Jars.logDir().resolve(stem + ".log");
    this.errLog = stderrApart ? Jars.logDir().resolve(stem + ".err.log") : null;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile());
      if (errLog == null) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(errLog.toFile());
      }
      this.process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** What the process wrote to stderr, when it was started with stderr apart. */
  public String stderr() {
    if (errLog == null) {
      throw new IllegalStateException("stderr is mixed into output()");
    }
    try {
      return Files.readString(errLog, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Waits until a whole line of output (one that ended in a newline) satisfies the predicate, and
   * returns it. A line still being written is not judged: its first words may match while the rest,
   * which a caller reads next (the port a listener took, say), is not in the file yet.
   */
  protected String awaitLine(Predicate<String> wanted, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String out = output();
      String complete = out.substring(0, out.lastIndexOf('\n') + 1);
      for (String line : complete.split("\n")) {
        if (wanted.test(line)) {
          return line;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited with " + process.exitValue() + ":\n" + output());
      }
      sleep(50);
    }
    throw new IllegalStateException("timed out after " + timeout + " waiting for output; got:\n" + output());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitFor() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
