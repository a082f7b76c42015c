package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket and file-channel I/O, end to end: a plain NIO server and a Netty server (each on JDK 17 and
 * 25) serve a file by transferTo / DefaultFileRegion, by a heap copy loop, and over TLS; the
 * collector's {@code GET /api/io} must show the path the JDK took, the bytes and the verdict. Where
 * strace can attach, the bytes moved by successful sendfile / copy_file_range calls must equal the
 * zero-copy bytes Lookout reported: the direct path is claimed exactly when it ran.
 */
class IoZeroCopyIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(40);
  private static final Pattern DIRECT_CALL =
      Pattern.compile("(sendfile|copy_file_range)(?:\\(| resumed>).*\\)\\s+=\\s+(-?\\d+)");

  private static CollectorProcess collector;
  private static LookoutApi api;
  private static Path keyStore;

  @BeforeAll
  static void start() throws Exception {
    collector = CollectorProcess.start("--no-auth");
    api = collector.api();
    keyStore = Files.createTempDirectory("lookout-it-tls").resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
  }

  @AfterAll
  static void stop() {
    collector.close();
  }

  static Stream<Arguments> servers() {
    List<Arguments> out = new ArrayList<>();
    for (Path jdk : Jars.applicationJdks()) {
      out.add(Arguments.of("nio", jdk));
      out.add(Arguments.of("netty", jdk));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} server on {1}")
  @MethodSource("servers")
  void pathBytesAndVerdictOfEachWayToServeAFile(String server, Path jdk) throws Exception {
    boolean nio = server.equals("nio");
    String service = "io-" + server + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path jar = nio ? Jars.nioSample() : Jars.nettySample();
    try (AppProcess app = AppProcess.start(jdk, jar,
        "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";io.flush.ms=300",
        "-Dtls.port=0", "-Djavax.net.ssl.keyStore=" + keyStore, "-Djavax.net.ssl.keyStorePassword=changeit")) {
      long size = Long.parseLong(line(app, "FILE_SIZE "));
      int tlsPort = Integer.parseInt(line(app, "LISTENING_TLS "));
      boolean jdk21Plus = !jdk.toString().contains("17");

      // The pipeline starts in the background: wait until the agent reports this service's I/O at all.
      long deadline = System.nanoTime() + ARRIVAL.toNanos();
      while (items(service).isEmpty()) {
        assertThat(System.nanoTime()).as("agent reporting").isLessThan(deadline);
        assertThat(get(app.port(), "/hello", false)).isGreaterThanOrEqualTo(0);
        Thread.sleep(300);
      }

      Strace strace = Strace.attach(app.pid());
      try {
        assertThat(get(app.port(), "/transfer", false)).isEqualTo(size);
        assertThat(get(app.port(), "/transfer", false)).isEqualTo(size);
        assertThat(get(app.port(), "/copy", false)).isEqualTo(size);
        if (nio) {
          assertThat(get(app.port(), "/channel", false)).isEqualTo(size);
          assertThat(get(app.port(), "/file-copy", false)).isPositive();
          assertThat(get(tlsPort, "/transfer", true)).isEqualTo(size);
        }
        assertThat(get(tlsPort, "/copy", true)).isEqualTo(size);

        // transferTo into the socket: sendfile, zero-copy, every byte.
        Predicate<JsonNode> toSocket = i -> kind(i, "transferTo") && "socket".equals(i.path("target").asText())
            && (!nio || i.get("callSite").asText().contains("sendByTransferTo"));
        await(service, toSocket, "zeroCopyBytes", 2 * size);
        List<JsonNode> items = items(service);
        assertThat(items.stream().filter(toSocket)).allSatisfy(i -> {
          assertThat(i.get("mechanism").asText()).isEqualTo("sendfile");
          assertThat(i.get("verdict").asText()).isEqualTo("zero-copy");
          assertThat(i.get("path").asText()).isEqualTo("-");
        });
        assertThat(sum(items, toSocket, "bytes")).isEqualTo(2 * size);

        // The heap copy loop: a zero-copy candidate, at the method that read the file.
        Predicate<JsonNode> candidate = i -> kind(i, "copy-loop") && verdict(i, "candidate");
        await(service, candidate, "bytes", size, 16 * 1024);
        assertThat(items(service).stream().filter(candidate))
            .allSatisfy(i -> assertThat(i.get("callSite").asText()).contains("sendByCopyLoop"));

        // Over TLS: the file bytes are encrypted in the heap, zero-copy impossible.
        Predicate<JsonNode> tlsLoop = i -> kind(i, "copy-loop") && verdict(i, "tls-blocked");
        await(service, tlsLoop, "bytes", size, 16 * 1024);
        assertThat(items(service).stream().filter(tlsLoop))
            .allSatisfy(i -> assertThat(i.get("reason").asText()).contains("zero-copy impossible: TLS"));
        assertThat(items(service).stream().anyMatch(i -> kind(i, "socket") && verdict(i, "tls-blocked"))).isTrue();

        if (nio) {
          // transferTo into a channel the JDK cannot send to: copied through a heap buffer.
          Predicate<JsonNode> wrapped = i -> kind(i, "transferTo") && "other".equals(i.path("target").asText())
              && verdict(i, "fallback");
          await(service, wrapped, "copiedBytes", size);
          assertThat(items(service).stream().filter(wrapped))
              .allSatisfy(i -> assertThat(i.get("mechanism").asText()).isEqualTo("user-copy"));
          // file to file: sendfile on 17, copy_file_range from 21 on.
          Predicate<JsonNode> fileToFile = i -> kind(i, "transferTo") && "file".equals(i.path("target").asText());
          await(service, fileToFile, "zeroCopyBytes", size);
          assertThat(items(service).stream().filter(fileToFile)).allSatisfy(i ->
              assertThat(i.get("mechanism").asText()).isEqualTo(jdk21Plus ? "copy_file_range" : "sendfile"));
          // transferTo into an SSLSocket's stream: TLS-blocked.
          Predicate<JsonNode> tlsTransfer = i -> kind(i, "transferTo") && verdict(i, "tls-blocked");
          await(service, tlsTransfer, "bytes", size);
        }

        long reportedZeroCopy = sum(items(service), i -> true, "zeroCopyBytes");
        assertThat(reportedZeroCopy).isEqualTo(nio ? 3 * size : 2 * size);
        if (strace != null) {
          long kernel = strace.stopAndSumDirectBytes();
          System.out.printf("strace %s on %s: direct syscalls moved %d bytes, Lookout reported %d zero-copy bytes%n",
              server, jdk.getFileName(), kernel, reportedZeroCopy);
          assertThat(kernel).as("bytes moved by successful sendfile/copy_file_range").isEqualTo(reportedZeroCopy);
        } else {
          System.out.println("strace unavailable: kernel cross-check skipped");
        }
      } finally {
        if (strace != null) {
          strace.stop();
        }
      }
    }
  }

  @Test
  void badParametersAreRejectedByName() {
    for (String[] bad : new String[][] {{"from=yesterday", "from"}, {"to=-5", "to"}, {"from=10&to=5", "from"}}) {
      LookoutApi.Answer a = api.get("/api/io?" + bad[0]);
      assertThat(a.status()).as(bad[0]).isEqualTo(400);
      assertThat(a.body().get("error").asText()).as(bad[0]).contains("'" + bad[1] + "'");
    }
    LookoutApi.Answer ok = api.get("/api/io?service=nobody");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("items")).isEmpty();
  }

  // ---- helpers ----

  private static boolean kind(JsonNode i, String kind) {
    return kind.equals(i.get("kind").asText());
  }

  private static boolean verdict(JsonNode i, String verdict) {
    return verdict.equals(i.get("verdict").asText());
  }

  private static List<JsonNode> items(String service) {
    LookoutApi.Answer a = api.get("/api/io?service=" + service);
    assertThat(a.status()).as("GET /api/io: " + a.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    a.body().get("items").forEach(out::add);
    return out;
  }

  private static long sum(List<JsonNode> items, Predicate<JsonNode> which, String field) {
    return items.stream().filter(which).mapToLong(i -> i.get(field).asLong()).sum();
  }

  /** Waits until the matching items' {@code field} adds up to {@code expected} (rows arrive per flush). */
  private static void await(String service, Predicate<JsonNode> which, String field, long expected)
      throws InterruptedException {
    await(service, which, field, expected, 0);
  }

  /**
   * The same, allowing {@code slack} bytes more: a copy loop's bytes are estimated per unit of work as
   * the smaller of file bytes read and bytes written, which incidental reads (a TLS library reading
   * its configuration on first use) can raise slightly.
   */
  private static void await(String service, Predicate<JsonNode> which, String field, long expected, long slack)
      throws InterruptedException {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = items(service);
      if (sum(last, which, field) >= expected) {
        assertThat(sum(last, which, field)).as(field).isBetween(expected, expected + slack);
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("expected " + field + " = " + expected + " within " + ARRIVAL + "; items: " + last);
  }

  private static String line(AppProcess app, String prefix) {
    for (String l : app.output().split("\n")) {
      if (l.startsWith(prefix)) {
        return l.substring(prefix.length()).trim();
      }
    }
    throw new AssertionError("no '" + prefix + "' line in:\n" + app.output());
  }

  /** One HTTP/1.1 GET over a fresh connection (TLS trusting anything); returns the body length. */
  private static long get(int port, String path, boolean tls) throws Exception {
    Socket s;
    if (tls) {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
      SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
      ssl.startHandshake();
      s = ssl;
    } else {
      s = new Socket("127.0.0.1", port);
    }
    try (Socket socket = s) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, 0, Math.min(all.length, 512), StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      return headEnd < 0 ? -1 : all.length - headEnd - 4;
    }
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** strace on every thread of the app, recording sendfile and copy_file_range; null when it cannot attach. */
  static final class Strace {
    private final Process process;
    private final Path log;

    private Strace(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Strace attach(long pid) {
      try {
        List<String> command = new ArrayList<>(List.of("strace", "-f", "-qq", "-e", "trace=sendfile,copy_file_range",
            "-o"));
        Path log = Files.createTempFile("lookout-strace", ".log");
        command.add(log.toString());
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
          tasks.forEach(t -> {
            command.add("-p");
            command.add(t.getFileName().toString());
          });
        }
        Path err = Files.createTempFile("lookout-strace", ".err");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        Thread.sleep(1500); // attaching to a few dozen threads
        if (!p.isAlive()) {
          System.out.println("strace could not attach: " + Files.readString(err));
          return null;
        }
        return new Strace(p, log);
      } catch (IOException | InterruptedException e) {
        System.out.println("strace not usable: " + e);
        return null;
      }
    }

    void stop() {
      if (process.isAlive()) {
        process.destroy();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** Bytes moved by the successful direct calls. */
    long stopAndSumDirectBytes() throws IOException {
      stop();
      long total = 0;
      for (String l : Files.readAllLines(log)) {
        Matcher m = DIRECT_CALL.matcher(l);
        if (m.find()) {
          long n = Long.parseLong(m.group(2));
          if (n > 0) {
            total += n;
          }
        }
      }
      return total;
    }
  }
}
