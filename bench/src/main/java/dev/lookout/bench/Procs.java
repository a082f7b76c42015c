package dev.lookout.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Processes, ports and /proc. Linux only, loopback only. */
final class Procs {

  private Procs() {}

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  static int envInt(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }

  /** HTTP status of a GET, or -1 when nothing answers. */
  static int status(String url, int timeoutMillis) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(timeoutMillis);
      c.setReadTimeout(timeoutMillis);
      int code = c.getResponseCode();
      (code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
      c.disconnect();
      return code;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Polls every {@code pollMillis} until a 200; returns the nanoTime it came, or throws. */
  static long awaitOk(String url, Process process, long timeoutMillis, int pollMillis)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (status(url, 1000) == 200) {
        return System.nanoTime();
      }
      if (!process.isAlive()) {
        throw new IOException("process exited (" + process.exitValue() + ") before " + url + " answered");
      }
      Thread.sleep(pollMillis);
    }
    throw new IOException(url + " did not answer 200 within " + timeoutMillis + " ms");
  }

  static void stop(Process p, int graceSeconds) throws InterruptedException {
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** user + system CPU of a process, in microseconds. */
  static long cpuMicros(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after the comm: state(0) ppid(1) ... utime is field 14 overall -> index 11 here, stime index 12
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000L / clockTicks();
  }

  private static long clkTck;

  private static synchronized long clockTicks() {
    if (clkTck == 0) {
      clkTck = 100;
      try {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        clkTck = Long.parseLong(out);
      } catch (Exception ignored) {
        // 100 on every Linux this runs on
      }
    }
    return clkTck;
  }

  /** A line of /proc/PID/status in KiB (VmRSS, VmHWM). */
  static long statusKb(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // a leftover temp directory under bench/target
    }
  }

  static String firstLine(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(20, TimeUnit.SECONDS);
      return out.isEmpty() ? "" : out.lines().findFirst().orElse("");
    } catch (Exception e) {
      return "unknown";
    }
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException ignored) {
      // not Linux
    }
    return "unknown";
  }
}
