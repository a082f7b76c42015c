package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.AppProcess;
import dev.lookout.it.support.Jars;
import dev.lookout.it.support.LookoutApi;
import dev.lookout.it.support.RawGet;
import dev.lookout.it.support.SharedCollector;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a servlet container writes for a request after the servlet returned (SPEC §2) belongs to that
 * request, with the kernel as the referee ({@code strace -f -e trace=sendfile,copy_file_range} from the
 * JVM's first instruction; strace missing fails):
 *
 * <ul>
 *   <li>Tomcat 11's {@code DefaultServlet} with the NIO connector's sendfile: the first attempt on the
 *       worker thread, the rest on the poller thread. Every sendfile call strace saw is a zero-copy call of
 *       the request that asked for the file (its trace id), none outside requests; with
 *       {@code useSendfile=false}, no sendfile and the file bytes are the request's heap copy, a fallback
 *       naming {@code useSendfile=false}.
 *   <li>Jetty 12: the response flush after {@code /hello} returned is the request's socket bytes (exactly
 *       what the client received); the sample's file served four ways, each with its verdict and its
 *       request's trace id, zero-copy calls and bytes equal to strace's.
 * </ul>
 */
class ContainerIoIT {

  private static final Duration ARRIVAL = Duration.ofSeconds(60);
  private static final long SIZE = 4L * 1024 * 1024;
  private static final int DOWNLOADS = 3;

  @RegisterExtension
  static final SharedCollector collector = new SharedCollector();

  static List<Path> jdks() {
    return Jars.applicationJdks();
  }

  @ParameterizedTest(name = "Tomcat 11 sendfile on {0}")
  @MethodSource("jdks")
  void tomcatSendfileBelongsToItsRequest(Path jdk) throws Exception {
    String service = "tc-sendfile-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = Files.createTempFile("lookout-strace", ".log");
    try (AppProcess app = AppProcess.startUnder(strace(log), jdk, Jars.sample("tomcat11"), agentArgs(service),
        "-Dstatic.size=" + SIZE, "-DuseSendfile=true")) {
      long received = 0;
      for (int i = 0; i < DOWNLOADS; i++) {
        long[] got = get(app.port(), "/static/big.bin");
        assertThat(got[1]).isEqualTo(SIZE);
        received += got[0];
      }
      List<JsonNode> requests = awaitRequests(service, "/static/big.bin",
          r -> r.path("io").path("zeroCopyBytes").asLong() == SIZE);
      IoZeroCopyIT.Kernel kernel = IoZeroCopyIT.Kernel.read(log);
      Figures f = Figures.of(requests);
      List<JsonNode> rows = awaitIo(service, i -> verdict(i, "zero-copy"), kernel.bytes("sendfile"));
      String table = table("Tomcat 11 DefaultServlet, useSendfile=true, " + jdk.getFileName(), kernel, f, rows);
      System.out.println(table);

      assertThat(kernel.calls("sendfile")).as(table + "\nsendfile happened").isGreaterThanOrEqualTo(DOWNLOADS);
      assertThat(f.zeroCopyCalls).as(table + "\nrequests' zero-copy calls = strace").isEqualTo(kernel.calls("sendfile"));
      assertThat(f.zeroCopyBytes).as(table + "\nrequests' zero-copy bytes = strace").isEqualTo(kernel.bytes("sendfile"));
      assertThat(f.zeroCopyBytes).isEqualTo(DOWNLOADS * SIZE);
      assertThat(f.untraced).as(table + "\nevery row carries its request's trace id").isZero();
      // what the client received: the response heads (socket bytes of the requests) and the sendfile bodies
      assertThat(f.socketOut + f.zeroCopyBytes).as(table + "\nbytes the client received").isEqualTo(received);
      assertThat(sum(rows, i -> verdict(i, "zero-copy") && "-".equals(i.path("path").asText()), "bytes"))
          .as(table + "\nno sendfile outside requests").isZero();
      assertThat(sum(rows, i -> verdict(i, "zero-copy"), "calls")).as(table + "\n/api/io zero-copy calls")
          .isEqualTo(kernel.calls("sendfile"));
      assertThat(sum(rows, i -> verdict(i, "zero-copy"), "bytes")).isEqualTo(kernel.bytes("sendfile"));
      List<String> traces = requests.stream().map(r -> r.get("traceId").asText()).toList();
      assertThat(rows.stream().filter(i -> verdict(i, "zero-copy"))).allSatisfy(i -> {
        assertThat(i.get("path").asText()).isEqualTo("/static/*");
        assertThat(i.get("sampleTraceId").asText()).as("the Zero-copy view's example request").isIn(traces);
      });
    }
  }

  @Test
  void tomcatWithoutSendfileCopiesThroughTheHeap() throws Exception {
    Path jdk = Paths.get(System.getProperty("java.home"));
    String service = "tc-nosendfile-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = Files.createTempFile("lookout-strace", ".log");
    try (AppProcess app = AppProcess.startUnder(strace(log), jdk, Jars.sample("tomcat11"), agentArgs(service),
        "-Dstatic.size=" + SIZE, "-DuseSendfile=false")) {
      for (int i = 0; i < DOWNLOADS; i++) {
        assertThat(get(app.port(), "/static/big.bin")[1]).isEqualTo(SIZE);
      }
      List<JsonNode> requests = awaitRequests(service, "/static/big.bin",
          r -> r.path("io").path("copiedBytes").asLong() == SIZE);
      IoZeroCopyIT.Kernel kernel = IoZeroCopyIT.Kernel.read(log);
      Figures f = Figures.of(requests);
      List<JsonNode> rows = awaitIo(service, i -> verdict(i, "fallback"), DOWNLOADS * SIZE);
      String table = table("Tomcat 11 DefaultServlet, useSendfile=false", kernel, f, rows);
      System.out.println(table);

      assertThat(kernel.calls("sendfile")).as(table).isZero();
      assertThat(f.zeroCopyCalls).as(table).isZero();
      // the container's own choice, not the application's: a fallback saying why
      assertThat(f.fallbackBytes).as(table + "\nthe heap copy, per request").isEqualTo(DOWNLOADS * SIZE);
      assertThat(f.fallbackCalls).isEqualTo(DOWNLOADS);
      assertThat(f.candidateBytes).as(table).isZero();
      assertThat(f.untraced).as(table).isZero();
      assertThat(sum(rows, i -> verdict(i, "fallback"), "bytes")).as(table).isEqualTo(DOWNLOADS * SIZE);
      assertThat(rows.stream().filter(i -> verdict(i, "fallback"))).allSatisfy(i -> {
        assertThat(i.get("reason").asText()).contains("useSendfile=false");
        assertThat(i.get("path").asText()).isEqualTo("/static/*");
      });
      assertThat(sum(rows, i -> verdict(i, "zero-copy"), "bytes")).as(table).isZero();
    }
  }

  @Test
  void jettyResponsesAndFilesBelongToTheirRequests() throws Exception {
    Path jdk = Paths.get(System.getProperty("java.home"));
    String service = "jetty-files-" + UUID.randomUUID().toString().substring(0, 8);
    Path log = Files.createTempFile("lookout-strace", ".log");
    try (AppProcess app = AppProcess.startUnder(strace(log), jdk, Jars.jettySample(), agentArgs(service),
        "-Dfile.size=" + SIZE)) {
      long helloReceived = get(app.port(), "/hello")[0];
      for (int i = 0; i < DOWNLOADS; i++) {
        for (String path : List.of("/files/zero-copy", "/files/stream", "/files/copy-loop", "/static/report.bin")) {
          assertThat(get(app.port(), path)[1]).as(path).isEqualTo(SIZE);
        }
      }

      // /hello: Jetty writes the response after the servlet returned; those bytes are the request's
      JsonNode hello = collector.api().awaitRequest("service=" + service + "&path=/hello", r -> true, ARRIVAL);
      JsonNode detail = collector.api().get("/api/requests/" + hello.get("traceId").asText()).body();
      long helloOut = detail.path("request").path("attributes").path("lookout.io.socket.bytes_out").asLong();
      assertThat(helloOut).as("/hello socket bytes out = what the client received: " + detail)
          .isEqualTo(helloReceived);
      assertThat(detail.get("io")).as("/hello io rows: " + detail.get("io")).anySatisfy(i -> {
        assertThat(i.get("kind").asText()).isEqualTo("socket");
        assertThat(i.get("bytes").asLong()).isEqualTo(helloReceived);
        assertThat(i.get("traceId").asText()).isEqualTo(hello.get("traceId").asText());
      });

      Figures zero = Figures.of(awaitRequests(service, "/files/zero-copy",
          r -> r.path("io").path("zeroCopyBytes").asLong() == SIZE));
      Figures stream = Figures.of(awaitRequests(service, "/files/stream",
          r -> r.path("io").path("copiedBytes").asLong() == SIZE));
      Figures loop = Figures.of(awaitRequests(service, "/files/copy-loop",
          r -> r.path("io").path("copiedBytes").asLong() == SIZE));
      Figures jetty = Figures.of(awaitRequests(service, "/static/report.bin",
          r -> r.path("io").path("copiedBytes").asLong() == SIZE));
      IoZeroCopyIT.Kernel kernel = IoZeroCopyIT.Kernel.read(log);
      List<JsonNode> rows = awaitIo(service, i -> verdict(i, "zero-copy"), kernel.bytes("sendfile"));
      String table = table("Jetty 12 /files/zero-copy", kernel, zero, rows)
          + table("Jetty 12 /files/stream", kernel, stream, rows)
          + table("Jetty 12 /files/copy-loop", kernel, loop, rows)
          + table("Jetty 12 ResourceServlet /static/report.bin", kernel, jetty, rows)
          + "  /hello: client received " + helloReceived + ", request socket bytes out " + helloOut + "\n";
      System.out.println(table);

      assertThat(zero.zeroCopyCalls).as(table + "\nzero-copy calls = strace").isEqualTo(kernel.calls("sendfile"));
      assertThat(zero.zeroCopyBytes).as(table + "\nzero-copy bytes = strace").isEqualTo(kernel.bytes("sendfile"));
      assertThat(kernel.bytes("sendfile")).isEqualTo(DOWNLOADS * SIZE);
      assertThat(stream.fallbackBytes).as(table + "\nstream fallback").isEqualTo(DOWNLOADS * SIZE);
      assertThat(stream.fallbackCalls).isEqualTo(DOWNLOADS);
      assertThat(loop.candidateBytes).as(table + "\ncopy loop").isEqualTo(DOWNLOADS * SIZE);
      assertThat(loop.candidateCalls).isEqualTo(DOWNLOADS);
      assertThat(jetty.candidateBytes).as(table + "\nJetty's own static path").isEqualTo(DOWNLOADS * SIZE);
      assertThat(jetty.zeroCopyCalls + stream.zeroCopyCalls + loop.zeroCopyCalls).isZero();
      for (Figures f : List.of(zero, stream, loop, jetty)) {
        assertThat(f.untraced).as(table + "\nevery row carries its request's trace id").isZero();
      }
      assertThat(sum(rows, i -> !"-".equals(i.path("path").asText()) && !"socket".equals(i.path("kind").asText()),
          "bytes")).as(table + "\nfile rows in /api/io, all in requests").isEqualTo(4 * DOWNLOADS * SIZE);
      assertThat(rows.stream().filter(i -> verdict(i, "fallback")))
          .allSatisfy(i -> assertThat(i.get("reason").asText()).contains("heap buffer"));
    }
  }

  // ---- helpers ----

  /** One request's file and socket figures, from its detail, summed over the requests given. */
  static final class Figures {
    long zeroCopyCalls;
    long zeroCopyBytes;
    long fallbackCalls;
    long fallbackBytes;
    long candidateCalls;
    long candidateBytes;
    long socketOut;
    /** io rows of a request detail whose trace id is not the request's. */
    long untraced;
    int requests;

    static Figures of(List<JsonNode> requests) {
      Figures f = new Figures();
      for (JsonNode r : requests) {
        String traceId = r.get("traceId").asText();
        JsonNode d = collector.api().get("/api/requests/" + traceId).body();
        f.requests++;
        f.socketOut += d.path("request").path("attributes").path("lookout.io.socket.bytes_out").asLong();
        for (JsonNode i : d.get("io")) {
          if (!traceId.equals(i.path("traceId").asText())) {
            f.untraced++;
          }
          long calls = i.get("calls").asLong();
          long bytes = i.get("bytes").asLong();
          switch (i.get("verdict").asText()) {
            case "zero-copy" -> {
              f.zeroCopyCalls += calls;
              f.zeroCopyBytes += bytes;
            }
            case "fallback" -> {
              f.fallbackCalls += calls;
              f.fallbackBytes += bytes;
            }
            case "candidate" -> {
              f.candidateCalls += calls;
              f.candidateBytes += bytes;
            }
            default -> { }
          }
        }
      }
      return f;
    }
  }

  private static String table(String title, IoZeroCopyIT.Kernel kernel, Figures f, List<JsonNode> rows) {
    return String.format("%s (%d requests):%n  %-34s %8s %12s%n  %-34s %8d %12d%n  %-34s %8d %12d%n"
            + "  %-34s %8d %12d%n  %-34s %8d %12d%n  %-34s %8s %12d%n",
        title, f.requests, "", "calls", "bytes",
        "strace sendfile (whole process)", kernel.calls("sendfile"), kernel.bytes("sendfile"),
        "Lookout zero-copy (requests)", f.zeroCopyCalls, f.zeroCopyBytes,
        "Lookout fallback (requests)", f.fallbackCalls, f.fallbackBytes,
        "Lookout candidate (requests)", f.candidateCalls, f.candidateBytes,
        "rows without the request's trace", "", f.untraced);
  }

  private static boolean verdict(JsonNode i, String verdict) {
    return verdict.equals(i.path("verdict").asText());
  }

  private static long sum(List<JsonNode> items, Predicate<JsonNode> which, String field) {
    return items.stream().filter(which).mapToLong(i -> i.get(field).asLong()).sum();
  }

  private static String agentArgs(String service) {
    return "collector.url=" + collector.otlpUrl() + ";service.name=" + service + ";io.flush.ms=300";
  }

  private static List<String> strace(Path log) {
    return List.of(IoZeroCopyIT.Strace.binary(), "-f", "-qq", "--seccomp-bpf", "-e", "trace=sendfile,copy_file_range",
        "-o", log.toString(), "--");
  }

  /** Waits until {@code DOWNLOADS} requests of {@code path} arrived, each as {@code complete} says. */
  private static List<JsonNode> awaitRequests(String service, String path, Predicate<JsonNode> complete) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = collector.api().requests("service=" + service + "&path=" + LookoutApi.encode(path));
      if (last.size() >= DOWNLOADS && last.stream().allMatch(complete)) {
        return last;
      }
      sleep(200);
    }
    throw new AssertionError("requests of " + path + " not complete within " + ARRIVAL + ": " + last);
  }

  /** /api/io of the service once the rows {@code which} add up to {@code bytes}, plus a flush period. */
  private static List<JsonNode> awaitIo(String service, Predicate<JsonNode> which, long bytes) {
    long deadline = System.nanoTime() + ARRIVAL.toNanos();
    List<JsonNode> last = List.of();
    while (System.nanoTime() < deadline) {
      last = io(service);
      if (sum(last, which, "bytes") >= bytes) {
        sleep(1000);
        return io(service);
      }
      sleep(200);
    }
    throw new AssertionError("/api/io rows did not reach " + bytes + " bytes within " + ARRIVAL + ": " + last);
  }

  private static List<JsonNode> io(String service) {
    LookoutApi.Answer a = collector.api().get("/api/io?service=" + service);
    assertThat(a.status()).as("GET /api/io: " + a.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    a.body().get("items").forEach(out::add);
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One HTTP/1.1 GET over a fresh connection: {total bytes received, body bytes}. */
  private static long[] get(int port, String path) throws Exception {
    // A receive buffer that takes a whole file: the container's last write then completes on the request's
    // thread. When the socket is full, Jetty finishes it later on a selector thread, outside the request
    // (a known gap, in the closing note): this test is about where each transfer is attributed, not that.
    Socket socket = new Socket();
    socket.setReceiveBufferSize(16 << 20);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    RawGet answer = RawGet.on(socket, path);
    assertThat(answer.statusLine).as(path).startsWith("HTTP/1.1 200");
    return new long[] {answer.all.length, answer.bodyLength};
  }

}
