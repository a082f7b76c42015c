package dev.lookout.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (with --latency) and reads its report. */
final class Wrk {

  record Result(double requestsPerSecond, double p50Micros, double p99Micros, long requests, long non2xx,
      long socketErrors, double seconds) {}

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
  private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.0+)?%\\s+([0-9.]+)(us|ms|s)\\s*$",
      Pattern.MULTILINE);
  private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern ERRORS = Pattern.compile(
      "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  private Wrk() {}

  static Result run(List<String> prefix, int threads, int connections, int seconds, String url, Path log)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
        "--latency", url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("wrk did not finish: " + cmd);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    Files.writeString(log, String.join(" ", cmd) + "\n" + text + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return parse(text);
  }

  static Result parse(String text) throws IOException {
    Matcher rps = RPS.matcher(text);
    Matcher total = TOTAL.matcher(text);
    if (!rps.find() || !total.find()) {
      throw new IOException("unreadable wrk output:\n" + text);
    }
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    Matcher m = PERCENTILE.matcher(text);
    while (m.find()) {
      double micros = micros(Double.parseDouble(m.group(2)), m.group(3));
      if (m.group(1).equals("50")) {
        p50 = micros;
      } else {
        p99 = micros;
      }
    }
    long non2xx = 0;
    Matcher n = NON2XX.matcher(text);
    if (n.find()) {
      non2xx = Long.parseLong(n.group(1));
    }
    long errors = 0;
    Matcher e = ERRORS.matcher(text);
    if (e.find()) {
      for (int i = 1; i <= 4; i++) {
        errors += Long.parseLong(e.group(i));
      }
    }
    double seconds = micros(Double.parseDouble(total.group(2)), total.group(3)) / 1e6;
    return new Result(Double.parseDouble(rps.group(1)), p50, p99, Long.parseLong(total.group(1)), non2xx, errors,
        seconds);
  }

  private static double micros(double value, String unit) {
    switch (unit.toLowerCase(Locale.ROOT)) {
      case "us": return value;
      case "ms": return value * 1e3;
      case "s": return value * 1e6;
      case "m": return value * 60e6;
      default: throw new IllegalArgumentException(unit);
    }
  }
}
