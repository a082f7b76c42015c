package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.RawGet;
import dev.lookout.it.support.SharedCollector;
import java.io.IOException;
import java.net.Socket;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket and file-channel I/O, end to end, with the kernel as the referee: each sample server runs under
 * {@code strace -f -e trace=sendfile,copy_file_range} from its first instruction, on JDK 17 and 25.
 *
 * <ul>
 *   <li>NIO: one selector thread serves a plain and a TLS port (JSSE): transferTo into the socket channel,
 *       a {@code byte[8192]} copy loop into the socket's stream, transferTo into a channel over the
 *       SSLSocket and the same copy loop over TLS, interleaved, five 4 MiB downloads each; plus a
 *       wrapped-channel fallback, a file-to-file transfer, and transfers made by {@code main} the instant
 *       the application starts, while the agent's pipeline is still being built.
 *   <li>Netty: a DefaultFileRegion (sendfile), a heap copy loop and a ChunkedFile over TLS (SslHandler, JDK
 *       provider), five downloads each.
 * </ul>
 *
 * The collector's {@code GET /api/io} must then show, exactly: as zero-copy the calls and bytes of the
 * successful sendfile / copy_file_range calls strace saw; as {@code candidate} the file bytes of the plain
 * copy loops (one call per download, at the method that read the file); as {@code tls-blocked} the file
 * bytes of the TLS copy loops and transfers; and socket bytes split into TLS records and plain bytes,
 * never one taken for the other. strace missing or unable to trace fails the test: no referee, no pass.
 */
class IoZeroCopyIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(60);
  private static final Pattern DIRECT_CALL =
      Pattern.compile("(sendfile|copy_file_range)(?:\\(| resumed>).*\\)\\s+=\\s+(-?\\d+)");
  private static final long SIZE = 4L * 1024 * 1024;
  private static final int DOWNLOADS = 5;
  private static final int STARTUP_TRANSFERS = 3;

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();
  private static Path keyStore;

  @BeforeAll
  static void start() throws Exception {
    keyStore = Files.createTempDirectory("lookout-it-tls").resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0).as("keytool").isTrue();
  }

  static Stream<Arguments> servers() {
    List<Arguments> out = new ArrayList<>();
    for (Path jdk : Jars.applicationJdks()) {
      out.add(Arguments.of("nio", jdk));
      out.add(Arguments.of("netty", jdk));
    }
    return out.stream();
  }

  @Test
  void bothJdksAreTested() {
    assertThat(Jars.applicationJdks()).as("JDK 17 and Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64)").hasSize(2);
  }

  @ParameterizedTest(name = "{0} server on {1}")
  @MethodSource("servers")
  void whatLookoutReportsIsWhatTheKernelDid(String server, Path jdk) throws Exception {
    boolean nio = server.equals("nio");
    boolean jdk21Plus = !jdk.toString().contains("17");
    String service = "io-" + server + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path jar = nio ? Jars.nioSample() : Jars.nettySample();
    Path log = Files.createTempFile("lookout-strace", ".log");
    List<String> strace = List.of(Strace.binary(), "-f", "-qq", "--seccomp-bpf", "-e",
        "trace=sendfile,copy_file_range", "-o", log.toString(), "--");
    try (AppProcess app = AppProcess.startUnder(strace, jdk, jar,
        "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";io.flush.ms=300",
        "-Dtls.port=0", "-Djavax.net.ssl.keyStore=" + keyStore, "-Djavax.net.ssl.keyStorePassword=changeit",
        "-Dfile.size=" + SIZE, "-Dstartup.transfers=" + (nio ? STARTUP_TRANSFERS : 0))) {
      assertThat(Long.parseLong(line(app, "FILE_SIZE "))).isEqualTo(SIZE);
      int tlsPort = Integer.parseInt(line(app, "LISTENING_TLS "));

      // One thread (NIO) serves everything, plain and TLS interleaved within each flush window.
      for (int i = 0; i < DOWNLOADS; i++) {
        assertThat(get(app.port(), "/transfer", false)).isEqualTo(SIZE);
        assertThat(get(tlsPort, "/copy", true)).isEqualTo(SIZE);
        assertThat(get(app.port(), "/copy", false)).isEqualTo(SIZE);
        if (nio) {
          assertThat(get(tlsPort, "/transfer", true)).isEqualTo(SIZE);
        }
      }
      if (nio) {
        assertThat(get(app.port(), "/channel", false)).isEqualTo(SIZE);
        assertThat(get(app.port(), "/file-copy", false)).isPositive();
      }

      Predicate<JsonNode> zeroCopy = i -> verdict(i, "zero-copy");
      Predicate<JsonNode> candidate = i -> kind(i, "copy-loop") && verdict(i, "candidate");
      Predicate<JsonNode> tlsLoop = i -> kind(i, "copy-loop") && verdict(i, "tls-blocked");
      Predicate<JsonNode> tlsTransfer = i -> kind(i, "transferTo") && verdict(i, "tls-blocked");
      Predicate<JsonNode> fallback = i -> verdict(i, "fallback");
      long expectedZeroCopy = nio ? (STARTUP_TRANSFERS + DOWNLOADS + 1) * SIZE : DOWNLOADS * SIZE;
      List<JsonNode> items = awaitAll(service, List.of(
          new Want(zeroCopy, "bytes", expectedZeroCopy),
          new Want(candidate, "bytes", DOWNLOADS * SIZE),
          new Want(tlsLoop, "bytes", DOWNLOADS * SIZE),
          new Want(tlsTransfer, "bytes", nio ? DOWNLOADS * SIZE : 0),
          new Want(fallback, "bytes", nio ? SIZE : 0)));
      Kernel kernel = Kernel.read(log);

      Table table = new Table(server + " on " + jdk.getFileName());
      table.row("strace sendfile", kernel.calls("sendfile"), kernel.bytes("sendfile"));
      table.row("strace copy_file_range", kernel.calls("copy_file_range"), kernel.bytes("copy_file_range"));
      table.row("Lookout zero-copy (sendfile)", calls(items, zeroCopy.and(mechanism("sendfile"))),
          sum(items, zeroCopy.and(mechanism("sendfile")), "bytes"));
      table.row("Lookout zero-copy (copy_file_range)", calls(items, zeroCopy.and(mechanism("copy_file_range"))),
          sum(items, zeroCopy.and(mechanism("copy_file_range")), "bytes"));
      table.row("Lookout copy-loop candidate", calls(items, candidate), sum(items, candidate, "bytes"));
      table.row("Lookout copy-loop tls-blocked", calls(items, tlsLoop), sum(items, tlsLoop, "bytes"));
      table.row("Lookout transferTo tls-blocked", calls(items, tlsTransfer), sum(items, tlsTransfer, "bytes"));
      table.row("Lookout fallback", calls(items, fallback), sum(items, fallback, "bytes"));
      table.row("Lookout socket plain", calls(items, socket("none")), sum(items, socket("none"), "bytes"));
      table.row("Lookout socket tls-blocked", calls(items, socket("tls-blocked")),
          sum(items, socket("tls-blocked"), "bytes"));
      System.out.println(table);

      // The kernel's direct calls, each of them, and no more: per syscall, calls and bytes.
      for (String call : List.of("sendfile", "copy_file_range")) {
        Predicate<JsonNode> direct = zeroCopy.and(mechanism(call));
        assertThat(calls(items, direct)).as(table + "\n" + call + " calls").isEqualTo(kernel.calls(call));
        assertThat(sum(items, direct, "bytes")).as(table + "\n" + call + " bytes").isEqualTo(kernel.bytes(call));
        assertThat(sum(items, direct, "zeroCopyBytes")).as(call + " zero-copy bytes").isEqualTo(kernel.bytes(call));
      }
      assertThat(kernel.bytes("sendfile") + kernel.bytes("copy_file_range")).as(table + "\nkernel")
          .isEqualTo(expectedZeroCopy);
      assertThat(kernel.calls("copy_file_range")).as("file to file: copy_file_range from JDK 21 on")
          .isEqualTo(nio && jdk21Plus ? calls(items, i -> "file".equals(i.path("target").asText())) : 0);
      assertThat(sum(items, i -> true, "zeroCopyBytes")).as("zero-copy bytes anywhere").isEqualTo(expectedZeroCopy);
      assertThat(items.stream().filter(zeroCopy)).allSatisfy(i -> {
        assertThat(i.get("kind").asText()).isEqualTo("transferTo");
        assertThat(i.get("path").asText()).isEqualTo("-");
      });
      Predicate<JsonNode> toSocket = zeroCopy.and(i -> "socket".equals(i.path("target").asText()));
      assertThat(items.stream().filter(toSocket)).allSatisfy(i -> assertThat(i.get("mechanism").asText())
          .isEqualTo("sendfile"));
      if (nio) {
        // made by main the instant the application started, before the pipeline was up: none lost
        Predicate<JsonNode> startup = toSocket.and(i -> i.get("callSite").asText().contains("startupTransfers"));
        assertThat(sum(items, startup, "bytes")).as(table + "\nstartup transfers").isEqualTo(STARTUP_TRANSFERS * SIZE);
        assertThat(sum(items, toSocket.and(i -> i.get("callSite").asText().contains("sendByTransferTo")), "bytes"))
            .isEqualTo(DOWNLOADS * SIZE);
      }

      // The plain copy loop: a candidate, exactly its file bytes, one call per download, where it read the file.
      assertThat(sum(items, candidate, "bytes")).as(table + "\ncandidate bytes").isEqualTo(DOWNLOADS * SIZE);
      assertThat(sum(items, candidate, "copiedBytes")).isEqualTo(DOWNLOADS * SIZE);
      assertThat(calls(items, candidate)).as(table + "\ncandidate calls").isEqualTo(DOWNLOADS);
      assertThat(items.stream().filter(candidate)).allSatisfy(i -> {
        assertThat(i.get("callSite").asText()).contains("sendByCopyLoop");
        assertThat(i.get("target").asText()).isEqualTo("socket");
      });

      // The TLS copy loop: tls-blocked, exactly its file bytes, saying JSSE encrypts in user space.
      assertThat(sum(items, tlsLoop, "bytes")).as(table + "\nTLS copy-loop bytes").isEqualTo(DOWNLOADS * SIZE);
      assertThat(calls(items, tlsLoop)).as(table + "\nTLS copy-loop calls").isEqualTo(DOWNLOADS);
      assertThat(items.stream().filter(tlsLoop)).allSatisfy(i -> {
        assertThat(i.get("reason").asText()).contains("JSSE").contains("user space").contains("zero-copy impossible");
        if (nio) {
          assertThat(i.get("callSite").asText()).contains("sendOverTlsByCopyLoop");
        }
      });
      if (nio) {
        assertThat(sum(items, tlsTransfer, "bytes")).as(table + "\nTLS transferTo bytes").isEqualTo(DOWNLOADS * SIZE);
        assertThat(sum(items, tlsTransfer, "copiedBytes")).isEqualTo(DOWNLOADS * SIZE);
        assertThat(items.stream().filter(tlsTransfer)).allSatisfy(i -> {
          assertThat(i.get("reason").asText()).contains("JSSE");
          assertThat(i.get("callSite").asText()).contains("sendOverTlsByTransferTo");
        });
        // transferTo into a channel the JDK cannot send to: copied through a heap buffer
        assertThat(items.stream().filter(fallback)).allSatisfy(i -> {
          assertThat(i.get("mechanism").asText()).isEqualTo("user-copy");
          assertThat(i.get("target").asText()).isEqualTo("other");
        });
        assertThat(sum(items, fallback, "bytes")).isEqualTo(SIZE);
      } else {
        assertThat(sum(items, tlsTransfer.or(fallback), "bytes")).isZero();
      }

      // Socket bytes: the TLS connections' records are TLS, everything of the plain port stays plain.
      long tlsFileBytes = (nio ? 2 : 1) * DOWNLOADS * SIZE;
      // copy loops and the wrapped channel written; the startup transfers read back by main's drain thread
      long plainFileBytes = DOWNLOADS * SIZE + (nio ? SIZE + STARTUP_TRANSFERS * SIZE : 0);
      long tlsSocket = sum(items, socket("tls-blocked"), "bytes");
      long plainSocket = sum(items, socket("none"), "bytes");
      assertThat(tlsSocket).as(table + "\nTLS socket bytes").isBetween(tlsFileBytes, tlsFileBytes + tlsFileBytes / 20);
      assertThat(plainSocket).as(table + "\nplain socket bytes").isBetween(plainFileBytes, plainFileBytes + 256 * 1024);
      assertThat(items.stream().filter(socket("tls-blocked")))
          .allSatisfy(i -> assertThat(i.get("reason").asText()).contains("JSSE"));
    }
  }

  @Test
  void badParametersAreRejectedByName() {
    for (String[] bad : new String[][] {{"from=yesterday", "from"}, {"to=-5", "to"}, {"from=10&to=5", "from"}}) {
      LookoutApi.Answer a = collector.api().get("/api/io?" + bad[0]);
      assertThat(a.status()).as(bad[0]).isEqualTo(400);
      assertThat(a.body().get("error").asText()).as(bad[0]).contains("'" + bad[1] + "'");
    }
    LookoutApi.Answer ok = collector.api().get("/api/io?service=nobody");
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
    LookoutApi.Answer a = collector.api().get("/api/io?service=" + service);
    assertThat(a.status()).as("GET /api/io: " + a.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    a.body().get("items").forEach(out::add);
    return out;
  }

  private static long sum(List<JsonNode> items, Predicate<JsonNode> which, String field) {
    return items.stream().filter(which).mapToLong(i -> i.get(field).asLong()).sum();
  }

  private static Predicate<JsonNode> mechanism(String m) {
    return i -> m.equals(i.get("mechanism").asText());
  }

  private static Predicate<JsonNode> socket(String verdict) {
    return i -> kind(i, "socket") && verdict(i, verdict);
  }

  private static long calls(List<JsonNode> items, Predicate<JsonNode> which) {
    return sum(items, which, "calls");
  }

  /** What the test waits for: the matching items' {@code field} adding up to {@code expected}. */
  record Want(Predicate<JsonNode> which, String field, long expected) {}

  /**
   * Waits until every want is met (rows arrive per flush), then one flush period more, so that a row
   * reported too many would show too; returns the items then.
   */
  private static List<JsonNode> awaitAll(String service, List<Want> wants) throws InterruptedException {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = items(service);
      List<JsonNode> now = last;
      if (wants.stream().allMatch(w -> sum(now, w.which(), w.field()) >= w.expected())) {
        Thread.sleep(1500);
        return items(service);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not all I/O arrived within " + ARRIVAL + "; items: " + last);
  }

  /** Lookout's and the kernel's figures side by side, printed in the test's output. */
  static final class Table {
    private final StringBuilder text;

    Table(String title) {
      text = new StringBuilder("I/O of ").append(title).append(":\n")
          .append(String.format("  %-38s %8s %14s%n", "", "calls", "bytes"));
    }

    void row(String what, long calls, long bytes) {
      text.append(String.format("  %-38s %8d %14d%n", what, calls, bytes));
    }

    @Override
    public String toString() {
      return text.toString();
    }
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
    return RawGet.on(s, path).bodyLength;
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

  /** strace, the referee: its absence fails the test (scripts/test.sh installs it). */
  static final class Strace {
    private Strace() {}

    static String binary() {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
        Path p = Path.of(dir, "strace");
        if (Files.isExecutable(p)) {
          return p.toString();
        }
      }
      throw new AssertionError("strace is not installed: it is the referee of this test (the kernel's sendfile and"
          + " copy_file_range calls), so the test cannot pass without it. Install it (apt-get install strace;"
          + " scripts/test.sh does so when it is missing).");
    }
  }

  /** The successful (non-zero) sendfile and copy_file_range calls of an strace log, per syscall. */
  static final class Kernel {
    private final java.util.Map<String, long[]> byCall = new java.util.HashMap<>();

    static Kernel read(Path log) throws IOException {
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).as("strace log " + log + ": strace could not trace the JVM (ptrace not permitted?)")
          .isNotNull();
      Kernel k = new Kernel();
      for (String l : lines) {
        Matcher m = DIRECT_CALL.matcher(l);
        if (m.find()) {
          long n = Long.parseLong(m.group(2));
          if (n > 0) {
            long[] c = k.byCall.computeIfAbsent(m.group(1), x -> new long[2]);
            c[0]++;
            c[1] += n;
          }
        }
      }
      return k;
    }

    long calls(String call) {
      return byCall.getOrDefault(call, new long[2])[0];
    }

    long bytes(String call) {
      return byCall.getOrDefault(call, new long[2])[1];
    }
  }
}
