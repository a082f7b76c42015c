package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.exporter.otlp.internal.HttpExporterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.common.internal.StandardComponentId.ExporterType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plain-http sender against a real HTTP server (the JDK's), as the OTLP exporters use it. */
class PlainHttpSenderTest {

  private HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  /** Status codes the server answers, in turn; 200 once they are used up. */
  private final List<Integer> statuses = new CopyOnWriteArrayList<>();

  static final class Received {
    final String contentType;
    final String contentEncoding;
    final String authorization;
    final byte[] body;

    Received(String contentType, String contentEncoding, String authorization, byte[] body) {
      this.contentType = contentType;
      this.contentEncoding = contentEncoding;
      this.authorization = authorization;
      this.body = body;
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    clientPorts.add(exchange.getRemoteAddress().getPort());
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    received.add(new Received(exchange.getRequestHeaders().getFirst("Content-Type"),
        exchange.getRequestHeaders().getFirst("Content-Encoding"),
        exchange.getRequestHeaders().getFirst("Authorization"), body));
    int status = statuses.isEmpty() ? 200 : statuses.remove(0);
    byte[] answer = ("answer " + status).getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, 0); // 0: a chunked answer
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer);
    }
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  private static MessageWriter body(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return new MessageWriter() {
      @Override
      public void writeMessage(OutputStream output) throws IOException {
        output.write(bytes);
      }

      @Override
      public int getContentLength() {
        return bytes.length;
      }
    };
  }

  private static HttpResponse send(PlainHttpSender sender, String text) {
    AtomicReference<Object> outcome = new AtomicReference<>();
    sender.send(body(text), outcome::set, outcome::set);
    if (outcome.get() instanceof Throwable) {
      throw new AssertionError("send failed", (Throwable) outcome.get());
    }
    return (HttpResponse) outcome.get();
  }

  private static final RetryPolicy QUICK_RETRIES = RetryPolicy.builder()
      .setMaxAttempts(3).setInitialBackoff(Duration.ofMillis(5)).setMaxBackoff(Duration.ofMillis(10)).build();

  @Test
  void sendsTheBodyAndHeadersOnOneKeptAliveConnectionAndReadsAChunkedAnswer() {
    PlainHttpSender sender = new PlainHttpSender(
        new Config(endpoint(), null, () -> Map.of("Authorization", List.of("Bearer t0ken")), QUICK_RETRIES));

    for (int i = 0; i < 3; i++) {
      HttpResponse response = send(sender, "batch " + i);
      assertThat(response.getStatusCode()).isEqualTo(200);
      assertThat(new String(response.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("answer 200");
    }

    assertThat(received).extracting(r -> new String(r.body, StandardCharsets.UTF_8))
        .containsExactly("batch 0", "batch 1", "batch 2");
    assertThat(received).allSatisfy(r -> {
      assertThat(r.contentType).isEqualTo("application/x-protobuf");
      assertThat(r.authorization).isEqualTo("Bearer t0ken");
      assertThat(r.contentEncoding).isNull();
    });
    assertThat(clientPorts).as("one connection, kept alive").hasSize(1);
  }

  @Test
  void retriesWhatTheSdkRetriesAndNothingElse() {
    PlainHttpSender sender = new PlainHttpSender(new Config(endpoint(), null, Map::of, QUICK_RETRIES));

    statuses.addAll(List.of(503, 429));
    assertThat(send(sender, "x").getStatusCode()).isEqualTo(200);
    assertThat(received).hasSize(3);

    received.clear();
    statuses.addAll(List.of(400));
    HttpResponse refused = send(sender, "y");
    assertThat(refused.getStatusCode()).isEqualTo(400);
    assertThat(new String(refused.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("answer 400");
    assertThat(received).as("a 400 is not retried").hasSize(1);

    received.clear();
    statuses.addAll(List.of(503, 503, 503, 503));
    assertThat(send(sender, "z").getStatusCode()).as("attempts are capped by the policy").isEqualTo(503);
    assertThat(received).hasSize(3);
  }

  @Test
  void compressesWhenTheExporterAsks() throws IOException {
    Compressor gzip = new Compressor() {
      @Override
      public String getEncoding() {
        return "gzip";
      }

      @Override
      public OutputStream compress(OutputStream out) throws IOException {
        return new GZIPOutputStream(out);
      }
    };
    PlainHttpSender sender = new PlainHttpSender(new Config(endpoint(), gzip, Map::of, null));

    send(sender, "squeeze me ".repeat(100));

    Received r = received.get(0);
    assertThat(r.contentEncoding).isEqualTo("gzip");
    assertThat(r.body.length).isLessThan(200);
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("squeeze me ".repeat(100));
    }
  }

  @Test
  void anUnreachableCollectorIsAnErrorNotAnAnswer() throws IOException {
    int freePort;
    try (ServerSocket s = new ServerSocket(0)) {
      freePort = s.getLocalPort();
    }
    PlainHttpSender sender = new PlainHttpSender(
        new Config(URI.create("http://127.0.0.1:" + freePort + "/v1/traces"), null, Map::of, QUICK_RETRIES));
    AtomicReference<Object> outcome = new AtomicReference<>();

    sender.send(body("x"), outcome::set, outcome::set);

    assertThat(outcome.get()).isInstanceOf(ConnectException.class);
  }

  @Test
  void aCollectorThatNeverAnswersHoldsTheSendingThreadButNotTheApplicationsExit() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      PlainHttpSender sender = new PlainHttpSender(new Config(
          URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1/traces"), null, Map::of, QUICK_RETRIES));
      AtomicReference<Object> outcome = new AtomicReference<>();
      long t0 = System.nanoTime();

      boolean finished = TelemetryPipeline.runWithin(() -> sender.send(body("x"), outcome::set, outcome::set),
          "test-flush", 300);

      assertThat(finished).as("still waiting for an answer that never comes").isFalse();
      assertThat(outcome.get()).isNull();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
      assertThat(TelemetryPipeline.runWithin(() -> { }, "test-flush", 5_000)).isTrue();
    }
  }

  @Test
  void stoppingTheRetriesEndsABackOffAtOnceWithWhatTheLastAttemptSaid() throws Exception {
    RetryPolicy patient = RetryPolicy.builder().setMaxAttempts(5).setInitialBackoff(Duration.ofSeconds(20))
        .setMaxBackoff(Duration.ofSeconds(20)).setBackoffMultiplier(1.0).build();
    PlainHttpSender sender = new PlainHttpSender(new Config(endpoint(), null, Map::of, patient));
    statuses.addAll(List.of(503, 503, 503, 503, 503));
    AtomicReference<Object> outcome = new AtomicReference<>();
    Thread sending = new Thread(() -> sender.send(body("x"), outcome::set, outcome::set));
    sending.start();
    while (received.isEmpty()) {
      Thread.sleep(10);
    }

    sender.stopRetrying();
    sending.join(10_000);

    assertThat(sending.isAlive()).as("four back-offs of up to 20 s each would still be running").isFalse();
    assertThat(((HttpResponse) outcome.get()).getStatusCode()).isEqualTo(503);
    assertThat(received.size()).isLessThan(5);
  }

  /**
   * A scripted server, one socket at a time: an answer with a length on a connection it then drops
   * (the next request finds it stale and goes again on a new one, once, without a back-off), and an
   * HTTP/1.0 answer that runs to the end of the stream.
   */
  @Test
  void aDroppedKeptAliveConnectionIsMadeAgainAndAnAnswerWithoutLengthRunsToItsEnd() throws Exception {
    try (ServerSocket scripted = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<String> requests = new CopyOnWriteArrayList<>();
      Thread server = new Thread(() -> {
        String[] answers = {
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Note: dropped after this\r\n\r\nok",
            "HTTP/1.0 202 Accepted\r\n\r\nuntil the end"};
        try {
          for (String answer : answers) {
            try (java.net.Socket s = scripted.accept()) {
              java.io.BufferedReader r = new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
              StringBuilder request = new StringBuilder();
              int length = 0;
              for (String line = r.readLine(); line != null && !line.isEmpty(); line = r.readLine()) {
                request.append(line).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                  length = Integer.parseInt(line.substring(15).trim());
                }
              }
              char[] body = new char[length];
              for (int off = 0; off < length; ) {
                off += r.read(body, off, length - off);
              }
              requests.add(request.append(new String(body)).toString());
              s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            }
          }
        } catch (IOException e) {
          requests.add("server failed: " + e);
        }
      });
      server.start();
      PlainHttpSender sender = new PlainHttpSender(new Config(
          URI.create("http://127.0.0.1:" + scripted.getLocalPort() + "/v1/traces"), null,
          () -> Map.of("Authorization", List.of("Bearer t")), null));

      HttpResponse first = send(sender, "one");
      Thread.sleep(50); // the server has closed the first connection
      HttpResponse second = send(sender, "two");
      server.join(5_000);

      assertThat(first.getStatusCode()).isEqualTo(200);
      assertThat(new String(first.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("ok");
      assertThat(second.getStatusCode()).isEqualTo(202);
      assertThat(second.getStatusMessage()).isEqualTo("Accepted");
      assertThat(new String(second.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo("until the end");
      assertThat(requests).hasSize(2);
      assertThat(requests.get(0)).startsWith("POST /v1/traces HTTP/1.1\nHost: 127.0.0.1:" + scripted.getLocalPort() + "\n")
          .contains("Authorization: Bearer t\n").contains("Content-Length: 3\n").endsWith("one");
      assertThat(requests.get(1)).endsWith("two");
    }
  }

  @Test
  void aHeaderValueWithALineBreakIsRefusedNotSent() {
    PlainHttpSender sender = new PlainHttpSender(new Config(endpoint(), null,
        () -> Map.of("Authorization", List.of("Bearer x\r\nX-Injected: 1")), null));
    AtomicReference<Object> outcome = new AtomicReference<>();

    sender.send(body("x"), outcome::set, outcome::set);

    assertThat(outcome.get()).isInstanceOf(IllegalArgumentException.class);
    assertThat(received).isEmpty();
  }

  @Test
  void theSdksOtlpExporterFindsItThroughPlainHttp() {
    HttpExporter exporter = new HttpExporterBuilder(ExporterType.OTLP_HTTP_SPAN_EXPORTER, endpoint().toString())
        .setComponentLoader(new PlainHttp())
        .addConstantHeaders("Authorization", "Bearer abc")
        .setMeterProvider(MeterProvider::noop)
        .build();
    AtomicInteger exports = new AtomicInteger();

    byte[] request = {10, 0};
    CompletableResultCode ok = exporter.export(new OtlpTransport.Encoded(request, 2), 1);
    statuses.add(400);
    CompletableResultCode refused = exporter.export(new OtlpTransport.Encoded(request, 2), 1);
    exports.addAndGet(received.size());

    assertThat(ok.join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    assertThat(refused.join(10, TimeUnit.SECONDS).isSuccess()).isFalse();
    assertThat(refused.getFailureThrowable()).isInstanceOf(FailedExportException.HttpExportException.class);
    assertThat(exports).hasValue(2);
    assertThat(received.get(0).body).containsExactly(10, 0);
    assertThat(received.get(0).authorization).isEqualTo("Bearer abc");
    exporter.shutdown();
  }

  private static final class Config implements HttpSenderConfig {
    private final URI endpoint;
    private final Compressor compressor;
    private final Supplier<Map<String, List<String>>> headers;
    private final RetryPolicy retryPolicy;

    Config(URI endpoint, Compressor compressor, Supplier<Map<String, List<String>>> headers, RetryPolicy retryPolicy) {
      this.endpoint = endpoint;
      this.compressor = compressor;
      this.headers = headers;
      this.retryPolicy = retryPolicy;
    }

    @Override public URI getEndpoint() { return endpoint; }
    @Override public String getContentType() { return "application/x-protobuf"; }
    @Override public Compressor getCompressor() { return compressor; }
    @Override public Duration getTimeout() { return Duration.ofSeconds(5); }
    @Override public Duration getConnectTimeout() { return Duration.ofSeconds(5); }
    @Override public Supplier<Map<String, List<String>>> getHeadersSupplier() { return headers; }
    @Override public ProxyOptions getProxyOptions() { return null; }
    @Override public RetryPolicy getRetryPolicy() { return retryPolicy; }
    @Override public SSLContext getSslContext() { return null; }
    @Override public X509TrustManager getTrustManager() { return null; }
    @Override public ExecutorService getExecutorService() { return null; }
    @Override public long getMaxResponseBodySize() { return 1 << 20; }
  }
}
