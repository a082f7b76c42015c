package dev.lookout.collector.ingest;

import dev.lookout.collector.store.write.StoreWriter;
import dev.lookout.collector.startup.StartupException;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC receiver on {@code --otlp-grpc-port}: the three {@code Export} methods of OTLP's
 * collector services. A message's bytes are handed, as they came, to the same decoders and the same
 * writer as OTLP/HTTP ({@link OtlpServer}); failures are the gRPC status codes the OTLP
 * specification names (malformed → INVALID_ARGUMENT, too large → RESOURCE_EXHAUSTED, storage
 * unavailable → UNAVAILABLE, missing token → UNAUTHENTICATED). gzip is understood by grpc-java itself.
 */
public final class OtlpGrpcServer implements AutoCloseable {

  static final String TRACES = "opentelemetry.proto.collector.trace.v1.TraceService";
  static final String METRICS = "opentelemetry.proto.collector.metrics.v1.MetricsService";
  static final String LOGS = "opentelemetry.proto.collector.logs.v1.LogsService";

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * grpc-java logs every refused oversized message with a stack trace (java.util.logging, WARNING):
   * the client already has its RESOURCE_EXHAUSTED, so a client cannot fill the collector's log this way.
   */
  private static final java.util.logging.Logger DEFRAME_LOG =
      java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

  static {
    DEFRAME_LOG.setLevel(java.util.logging.Level.SEVERE);
  }

  private final Server server;

  private OtlpGrpcServer(Server server) {
    this.server = server;
  }

  /** A message as bytes: no protobuf parse here, the decoders read the bytes themselves. */
  static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    static final Bytes INSTANCE = new Bytes();

    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A request as it came, or why it could not be read (a gzip message inflating past the limit). */
  record Incoming(byte[] bytes, Status refused) {}

  /**
   * The request marshaller: grpc-java enforces the size limit while the marshaller reads, by throwing,
   * which it would answer as UNKNOWN; kept here, the status reaches the client as it is.
   */
  static final class IncomingBytes implements MethodDescriptor.Marshaller<Incoming> {
    static final IncomingBytes INSTANCE = new IncomingBytes();

    @Override
    public InputStream stream(Incoming value) {
      return new ByteArrayInputStream(value.bytes());
    }

    @Override
    public Incoming parse(InputStream stream) {
      try {
        return new Incoming(stream.readAllBytes(), null);
      } catch (StatusRuntimeException e) {
        return new Incoming(null, e.getStatus());
      } catch (IOException e) {
        return new Incoming(null, Status.INVALID_ARGUMENT.withDescription("unreadable request: " + e.getMessage()));
      }
    }
  }

  public static OtlpGrpcServer start(OtlpSettings settings, StoreWriter writer,
      AgentHealth health) {
    int maxMessage = (int) Math.min(Integer.MAX_VALUE, settings.maxBody());
    ServerServiceDefinition traces = service(TRACES, OtlpServer.tracesDecoder(), writer);
    ServerServiceDefinition metrics = service(METRICS, OtlpServer.metricsDecoder(health), writer);
    ServerServiceDefinition logs = service(LOGS, OtlpServer.logsDecoder(), writer);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(settings.address().host(), settings.address().port()))
        .maxInboundMessageSize(maxMessage)
        .maxInboundMetadataSize(64 * 1024);
    if (settings.ingestToken() != null) {
      ServerInterceptor auth = tokenCheck(settings.ingestToken());
      builder.addService(ServerInterceptors.intercept(traces, auth))
          .addService(ServerInterceptors.intercept(metrics, auth))
          .addService(ServerInterceptors.intercept(logs, auth));
    } else {
      builder.addService(traces).addService(metrics).addService(logs);
    }
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      // Netty's native transport reports EADDRINUSE as its own IOException, not a BindException.
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new StartupException(settings.address().unavailable(" (" + root.getMessage() + ")"), e);
    }
    return new OtlpGrpcServer(server);
  }

  private static ServerServiceDefinition service(String service, OtlpServer.Decoder decoder, StoreWriter writer) {
    MethodDescriptor<Incoming, byte[]> export = MethodDescriptor.<Incoming, byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(IncomingBytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> export(request, response, decoder, writer)))
        .build();
  }

  /** Decode and map on the call's thread; answer when the writer has committed, without holding a thread. */
  private static void export(Incoming request, StreamObserver<byte[]> response, OtlpServer.Decoder decoder,
      StoreWriter writer) {
    if (request.refused() != null) {
      response.onError(request.refused().asRuntimeException());
      return;
    }
    OtlpServer.Mapped mapped;
    try {
      mapped = decoder.decode(OtlpEncoding.PROTOBUF, request.bytes());
    } catch (InvalidProtocolBufferException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("malformed OTLP request: " + e.getMessage())
          .asRuntimeException());
      return;
    }
    writer.submit(mapped.batch())
        .orTimeout(OtlpServer.commitTimeoutSeconds(), TimeUnit.SECONDS)
        .whenComplete((ok, failure) -> {
          if (failure == null) {
            response.onNext(mapped.response().toByteArray());
            response.onCompleted();
          } else {
            OtlpServer.Unavailable u = OtlpServer.unavailable(mapped.batch(), failure);
            response.onError(Status.UNAVAILABLE.withDescription(u.message()).asRuntimeException());
          }
        });
  }

  /** With {@code --ingest-token}: {@code authorization: Bearer <token>} in the call's metadata, or UNAUTHENTICATED. */
  private static ServerInterceptor tokenCheck(String token) {
    byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        String given = headers.get(AUTHORIZATION);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
          call.close(Status.UNAUTHENTICATED.withDescription(
              "missing or wrong ingest token (authorization: Bearer …)"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
      }
    };
  }

  public int port() {
    return server.getPort();
  }

  /** Stops taking calls and lets the ones in flight answer, for a few seconds at most. */
  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
