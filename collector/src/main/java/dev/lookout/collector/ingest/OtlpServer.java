package dev.lookout.collector.ingest;

import dev.lookout.collector.store.backend.StorageHealth;
import dev.lookout.collector.store.write.StoreWriter;
import dev.lookout.collector.store.write.Tables;
import dev.lookout.collector.store.write.WriteBatch;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.lookout.collector.http.Listening;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP receiver on {@code --otlp-port}. A 2xx is sent only after the rows are committed; a
 * failure is a {@code google.rpc.Status} in the request's encoding, as the OTLP specification asks.
 */
public final class OtlpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OtlpServer.class);
  /** How long an export may wait for its commit before the client is told to retry. */
  private static final long COMMIT_TIMEOUT_SECONDS = 30;
  /** How much of a refused body is read and dropped so that its answer arrives intact. */
  private static final long DRAIN_LIMIT = 32L << 20;
  /** gRPC status codes used in the Status body. */
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNAVAILABLE = 14;
  private static final int UNAUTHENTICATED = 16;

  private final Javalin app;

  private OtlpServer(Javalin app) {
    this.app = app;
  }

  /** What a decoded export turns into: rows to commit, and the response once they are committed. */
  record Mapped(WriteBatch batch, Message response) {}

  public static OtlpServer start(OtlpSettings settings, StoreWriter writer,
      AgentHealth health) {
    long maxBody = settings.maxBody();
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = maxBody;
      if (settings.ingestToken() != null) {
        byte[] expected = ("Bearer " + settings.ingestToken()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        config.routes.before("/v1/*", ctx -> {
          String given = ctx.header("Authorization");
          if (given == null || !java.security.MessageDigest.isEqual(expected,
              given.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            OtlpEncoding encoding = OtlpEncoding.of(ctx.contentType());
            fail(ctx, encoding == null ? OtlpEncoding.JSON : encoding, 401, UNAUTHENTICATED,
                "missing or wrong ingest token (Authorization: Bearer …)");
            ctx.skipRemainingHandlers();
          }
        });
      }
      // Protobuf spans are read straight off the wire (ProtobufTraces); JSON goes through messages.
      config.routes.post("/v1/traces", ctx -> ingest(ctx, writer, maxBody, tracesDecoder()));
      config.routes.post("/v1/metrics", ctx -> ingest(ctx, writer, maxBody, metricsDecoder(health)));
      config.routes.post("/v1/logs", ctx -> ingest(ctx, writer, maxBody, logsDecoder()));
    });
    Listening.start(app, settings.address());
    return new OtlpServer(app);
  }

  /** Decodes and maps one export body; a malformed body is an {@link InvalidProtocolBufferException}. */
  @FunctionalInterface
  interface Decoder {
    Mapped decode(OtlpEncoding encoding, byte[] body) throws InvalidProtocolBufferException;
  }

  /** The traces decoder both OTLP/HTTP and OTLP/gRPC use. */
  static Decoder tracesDecoder() {
    return (encoding, body) -> traces(encoding == OtlpEncoding.PROTOBUF ? ProtobufTraces.read(body)
        : TraceMapper.map(encoding.parse(body, ExportTraceServiceRequest.newBuilder()).build()));
  }

  /** The metrics decoder both OTLP/HTTP and OTLP/gRPC use: agent health only, nothing stored. */
  static Decoder metricsDecoder(AgentHealth health) {
    return (encoding, body) -> {
      MetricsMapper.read(encoding.parse(body, ExportMetricsServiceRequest.newBuilder()).build(), health);
      return new Mapped(new WriteBatch(), ExportMetricsServiceResponse.getDefaultInstance());
    };
  }

  /** The logs decoder both OTLP/HTTP and OTLP/gRPC use. */
  static Decoder logsDecoder() {
    return (encoding, body) -> logs(encoding.parse(body, ExportLogsServiceRequest.newBuilder()).build());
  }

  private static Mapped traces(TraceMapper.Result r) {
    WriteBatch batch = new WriteBatch().addAll(Tables.REQUESTS, r.requests()).addAll(Tables.EXCEPTIONS, r.exceptions())
        .addAll(Tables.IO, r.io());
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (r.rejected() > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(r.rejected()).setErrorMessage(r.rejectReason()));
    }
    return new Mapped(batch, response.build());
  }

  private static Mapped logs(ExportLogsServiceRequest request) {
    LogMapper.Result r = LogMapper.map(request);
    WriteBatch batch = new WriteBatch().addAll(Tables.LOGS, r.logs()).addAll(Tables.EXCEPTIONS, r.exceptions());
    return new Mapped(batch, ExportLogsServiceResponse.getDefaultInstance());
  }

  /** Decode, map, commit, answer: the same for every signal. */
  private static void ingest(Context ctx, StoreWriter writer, long maxBody, Decoder decoder) {
    OtlpEncoding encoding = OtlpEncoding.of(ctx.contentType());
    if (encoding == null) {
      fail(ctx, OtlpEncoding.JSON, 415, INVALID_ARGUMENT,
          "unsupported Content-Type '" + ctx.contentType() + "': use application/x-protobuf or application/json");
      return;
    }
    Mapped mapped;
    try {
      byte[] body = OtlpBody.read(ctx.bodyInputStream(), ctx.header("Content-Encoding"), ctx.contentLength(), maxBody);
      mapped = decoder.decode(encoding, body);
    } catch (OtlpBody.TooLargeException e) {
      ctx.header("Connection", "close");
      fail(ctx, encoding, 413, RESOURCE_EXHAUSTED, e.getMessage());
      return;
    } catch (OtlpBody.UnsupportedEncodingException e) {
      fail(ctx, encoding, 415, INVALID_ARGUMENT, e.getMessage());
      return;
    } catch (InvalidProtocolBufferException e) {
      fail(ctx, encoding, 400, INVALID_ARGUMENT, "malformed OTLP request: " + e.getMessage());
      return;
    } catch (IOException e) {
      fail(ctx, encoding, 400, INVALID_ARGUMENT, "unreadable request body: " + e.getMessage());
      return;
    }
    try {
      writer.submit(mapped.batch()).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Unavailable u = unavailable(mapped.batch(), e);
      ctx.header("Retry-After", String.valueOf(u.retryAfterSeconds()));
      fail(ctx, encoding, 503, UNAVAILABLE, u.message());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(ctx, encoding, 503, UNAVAILABLE, "collector is stopping");
      return;
    }
    ctx.status(200).contentType(encoding.contentType).result(encoding.write(mapped.response()));
  }

  /** Why a batch was not committed, told to the client as UNAVAILABLE so that it retries. */
  record Unavailable(String message, int retryAfterSeconds) {}

  /**
   * A failed or timed-out commit ({@link ExecutionException}, {@link TimeoutException}, or the cause of a
   * failed future) as the retryable answer both receivers give.
   */
  static Unavailable unavailable(WriteBatch batch, Throwable failure) {
    if (failure instanceof TimeoutException) {
      return new Unavailable("storage did not commit in time, retry later", 5);
    }
    Throwable cause = failure instanceof ExecutionException || failure instanceof java.util.concurrent.CompletionException
        ? failure.getCause() : failure;
    if (cause instanceof TimeoutException) {
      return new Unavailable("storage did not commit in time, retry later", 5);
    }
    // Disk trouble is logged once by StorageHealth, not once per refused batch.
    StorageHealth.Problem disk = StorageHealth.classify(cause);
    boolean saturated = cause instanceof StoreWriter.SaturatedException;
    if (!saturated && disk == null) {
      LOG.error("storing {} rows failed", batch.size(), cause);
    }
    return new Unavailable(disk != null
        ? "the collector cannot write to its disk (" + disk.explanation + "); retry later"
        : "storage failed, retry later: " + cause.getMessage(), saturated ? 1 : 5);
  }

  /** How long an export may wait for its commit. */
  static long commitTimeoutSeconds() {
    return COMMIT_TIMEOUT_SECONDS;
  }

  /**
   * Answers a refused export. What is left of its body is read first: closing a connection with unread
   * bytes resets it, and the client may then lose the answer it was sent and see only a dropped connection.
   */
  private static void fail(Context ctx, OtlpEncoding encoding, int httpStatus, int grpcCode, String message) {
    OtlpBody.drain(ctx, DRAIN_LIMIT);
    ctx.status(httpStatus).contentType(encoding.contentType).result(encoding.status(grpcCode, message));
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
