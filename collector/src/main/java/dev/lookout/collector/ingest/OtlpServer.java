package dev.lookout.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lookout.collector.CollectorOptions;
import dev.lookout.collector.store.StoreWriter;
import io.javalin.Javalin;
import io.javalin.http.Context;
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
public final class OtlpServer {

  private static final Logger LOG = LoggerFactory.getLogger(OtlpServer.class);
  /** How long an export may wait for its commit before the client is told to retry. */
  private static final long COMMIT_TIMEOUT_SECONDS = 30;
  /** gRPC status codes used in the Status body. */
  private static final int INVALID_ARGUMENT = 3;
  private static final int RESOURCE_EXHAUSTED = 8;
  private static final int UNAVAILABLE = 14;
  private static final int INTERNAL = 13;

  private final Javalin app;

  private OtlpServer(Javalin app) {
    this.app = app;
  }

  public static OtlpServer start(CollectorOptions options, StoreWriter writer) {
    long maxBody = options.maxBody;
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.http.maxRequestSize = maxBody;
      config.routes.post("/v1/traces", ctx -> traces(ctx, writer, maxBody));
    });
    app.start(options.bind, options.otlpPort);
    return new OtlpServer(app);
  }

  private static void traces(Context ctx, StoreWriter writer, long maxBody) {
    OtlpEncoding encoding = OtlpEncoding.of(ctx.contentType());
    if (encoding == null) {
      ctx.status(415).contentType("application/json").result(OtlpEncoding.JSON.status(INVALID_ARGUMENT,
          "unsupported Content-Type '" + ctx.contentType() + "': use application/x-protobuf or application/json"));
      return;
    }
    ExportTraceServiceRequest request;
    try {
      byte[] body = OtlpBody.read(ctx.bodyInputStream(), ctx.header("Content-Encoding"), maxBody);
      request = encoding.parse(body, ExportTraceServiceRequest.newBuilder()).build();
    } catch (OtlpBody.TooLargeException e) {
      fail(ctx, encoding, 413, RESOURCE_EXHAUSTED, e.getMessage());
      return;
    } catch (OtlpBody.UnsupportedEncodingException e) {
      fail(ctx, encoding, 415, INVALID_ARGUMENT, e.getMessage());
      return;
    } catch (InvalidProtocolBufferException e) {
      fail(ctx, encoding, 400, INVALID_ARGUMENT, "malformed OTLP traces request: " + e.getMessage());
      return;
    } catch (IOException e) {
      fail(ctx, encoding, 400, INVALID_ARGUMENT, "unreadable request body: " + e.getMessage());
      return;
    }
    TraceMapper.Result mapped = TraceMapper.map(request);
    try {
      writer.submit(mapped.requests()).get(COMMIT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StoreWriter.SaturatedException) {
        ctx.header("Retry-After", "1");
        fail(ctx, encoding, 503, UNAVAILABLE, e.getCause().getMessage());
      } else {
        LOG.error("storing {} requests failed", mapped.requests().size(), e.getCause());
        ctx.header("Retry-After", "5");
        fail(ctx, encoding, 503, UNAVAILABLE, "storage failed: " + e.getCause().getMessage());
      }
      return;
    } catch (TimeoutException e) {
      ctx.header("Retry-After", "5");
      fail(ctx, encoding, 503, UNAVAILABLE, "storage did not commit in time, retry later");
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(ctx, encoding, 503, INTERNAL, "collector is stopping");
      return;
    }
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (mapped.rejected() > 0) {
      response.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
          .setRejectedSpans(mapped.rejected()).setErrorMessage(mapped.rejectReason()));
    }
    ctx.status(200).contentType(encoding.contentType).result(encoding.write(response.build()));
  }

  private static void fail(Context ctx, OtlpEncoding encoding, int httpStatus, int grpcCode, String message) {
    ctx.status(httpStatus).contentType(encoding.contentType).result(encoding.status(grpcCode, message));
  }

  public int port() {
    return app.port();
  }

  public void stop() {
    app.stop();
  }
}
