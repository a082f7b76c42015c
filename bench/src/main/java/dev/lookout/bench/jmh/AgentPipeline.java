package dev.lookout.bench.jmh;

import dev.lookout.agent.bootstrap.HeaderPairs;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.export.TelemetryPipeline;
import dev.lookout.agent.io.IoRecorder;
import dev.lookout.agent.logs.LogCapture;
import dev.lookout.agent.trace.PathFilter;
import dev.lookout.agent.trace.RequestObserver;
import dev.lookout.agent.trace.ServerSpans;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The agent wired as AgentInstaller wires it (real SDK pipeline, batch queue, OTLP exporter, the
 * I/O recorder as request observer) but exporting to a dead loopback port: the queue fills, exports
 * fail fast, and what is measured is the cost on the application's thread. No bytecode is
 * instrumented here: the benchmarks call the bridge entry points the advice calls.
 *
 * <p>{@code -jvmArgsAppend -Dlookout.jmh.collector=http://127.0.0.1:4318} exports to a live OTLP endpoint
 * instead (a discard sink, say): records then go to the export thread and come back through the pool,
 * as in a server, and the request thread meets them in other caches.
 */
final class AgentPipeline {

  private AgentPipeline() {}

  /** The pipeline to {@code lookout.jmh.collector} when set, else to a dead port. */
  static TelemetryPipeline install() {
    return install(System.getProperty("lookout.jmh.collector"));
  }

  /** The same, exporting to {@code collectorUrl} (an OTLP/HTTP base URL), or a dead port when null. */
  static TelemetryPipeline install(String collectorUrl) {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    AgentConfig config = AgentConfig.load("collector.url="
        + (collectorUrl != null ? collectorUrl : "http://127.0.0.1:" + deadPort) + ";service.name=jmh");
    TelemetryPipeline pipeline;
    try {
      pipeline = TelemetryPipeline.startAsAgent(config);
    } catch (Exception e) { // start() may declare checked exceptions (TLS-PSK transport setup)
      throw new IllegalStateException(e);
    }
    IoRecorder io = new IoRecorder(pipeline.sink(), 5000);
    ServletHooks.install(new ServerSpans(pipeline.sink(), PathFilter.parse(config.ignorePaths()),
        new RequestObserver[] {io}), config.captureHeaders());
    LogHooks.install(new LogCapture(pipeline.sink()), config.logsLevel());
    IoHooks.install(io);
    return pipeline;
  }

  /** This thread's header scratch holding {@code pairs} (to their end or first null), as the servlet helper fills it. */
  static HeaderPairs headers(String[] pairs) {
    HeaderPairs scratch = HeaderPairs.forThread();
    for (int i = 0; i + 1 < pairs.length && pairs[i] != null; i += 2) {
      scratch.add(pairs[i], pairs[i + 1]);
    }
    return scratch;
  }
}
