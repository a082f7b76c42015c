package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.support.Otlp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pipeline as the agent builds it, exporting to a real HTTP receiver on loopback. */
class TelemetryPipelineTest {

  /** One request the receiver got: its path, its Content-Encoding (or null) and its body as sent. */
  private static final class Received {
    final String path;
    final String encoding;
    final byte[] body;

    Received(String path, String encoding, byte[] body) {
      this.path = path;
      this.encoding = encoding;
      this.body = body;
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      received.add(new Received(exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Content-Encoding"), exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  /** Starts the pipeline as the agent does, records one span, flushes: the receiver's /v1/traces request. */
  private Received exportOneSpan(String compression) throws IOException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    TelemetryPipeline pipeline = TelemetryPipeline.start(AgentConfig.load(
        "collector.url=" + url + ";service.name=pipeline-test" + (compression == null ? "" : ";compression=" + compression)));
    SpanRecord r = pipeline.sink().span();
    r.traceIdHigh = TraceIds.newId();
    r.traceIdLow = TraceIds.newId();
    r.spanId = TraceIds.newId();
    r.sampled = true;
    r.startEpochNanos = System.currentTimeMillis() * 1_000_000L;
    r.endEpochNanos = r.startEpochNanos + 1_000;
    r.method = "GET";
    r.path = "/zipped";
    r.status = 200;
    r.responseHeaders = new String[] {"Content-Type", "text/plain"};
    pipeline.sink().submit(r);
    pipeline.shutdown();
    return received.stream().filter(x -> x.path.equals("/v1/traces")).findFirst()
        .orElseThrow(() -> new AssertionError("no /v1/traces request among " + received));
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return in.readAllBytes();
    }
  }

  @Test
  void askedForGzipTheExportsAreGzippedAndReadBackWhole() throws IOException {
    Received traces = exportOneSpan("gzip");
    assertThat(traces.encoding).isEqualTo("gzip");
    assertThat(Otlp.spans(gunzip(traces.body))).singleElement().satisfies(s ->
        assertThat(s.getAttributes().asMap().toString()).contains("/zipped").contains("text/plain"));
  }

  @Test
  void toACollectorOnLoopbackTheExportsGoAsTheyAre() throws IOException {
    Received traces = exportOneSpan(null);
    assertThat(traces.encoding).isNull();
    assertThat(Otlp.spans(traces.body)).singleElement().satisfies(s ->
        assertThat(s.getAttributes().asMap().toString()).contains("/zipped").contains("text/plain"));
  }
}
