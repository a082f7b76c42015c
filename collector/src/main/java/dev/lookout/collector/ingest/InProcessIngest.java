package dev.lookout.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lookout.collector.store.write.StoreWriter;
import dev.lookout.protocol.Embedding;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OTLP protobuf requests handed over inside the JVM (by the agent, when the collector is embedded in
 * the application): the same decoders, the same writer and bounded queue, the same commit-before-answer
 * as the OTLP/HTTP receiver, without HTTP. Answers the status the receiver would have sent.
 */
public final class InProcessIngest {

  private final StoreWriter writer;
  private final OtlpServer.Decoder traces;
  private final OtlpServer.Decoder logs;
  private final OtlpServer.Decoder metrics;

  public InProcessIngest(StoreWriter writer, AgentHealth health) {
    this.writer = writer;
    this.traces = OtlpServer.tracesDecoder();
    this.logs = OtlpServer.logsDecoder();
    this.metrics = OtlpServer.metricsDecoder(health);
  }

  /**
   * Stores one {@code ExportTraceServiceRequest}, {@code ExportLogsServiceRequest} or
   * {@code ExportMetricsServiceRequest} ({@code signal} {@code traces}, {@code logs}, {@code metrics}):
   * 200 once committed, 400 for a malformed request, 404 for an unknown signal, 503 when the store
   * could not commit in time (retry later).
   */
  public int ingest(String signal, byte[] request) {
    OtlpServer.Decoder decoder = switch (signal) {
      case Embedding.TRACES -> traces;
      case Embedding.LOGS -> logs;
      case Embedding.METRICS -> metrics;
      default -> null;
    };
    if (decoder == null) {
      return 404;
    }
    OtlpServer.Mapped mapped;
    try {
      mapped = decoder.decode(OtlpEncoding.PROTOBUF, request);
    } catch (InvalidProtocolBufferException e) {
      return 400;
    }
    try {
      writer.submit(mapped.batch()).get(OtlpServer.commitTimeoutSeconds(), TimeUnit.SECONDS);
      return 200;
    } catch (ExecutionException | TimeoutException e) {
      OtlpServer.unavailable(mapped.batch(), e); // logs what is not a full queue or a disk problem
      return 503;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 503;
    }
  }
}
