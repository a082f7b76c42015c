package dev.lookout.agent.export;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.marshal.Serializer;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import dev.lookout.agent.embedded.EmbeddedCollector;
import java.io.IOException;

/**
 * Where an encoded OTLP export request goes: to the collector over OTLP/HTTP through the
 * OpenTelemetry SDK's HTTP exporter (its JDK HttpClient sender, retries and timeouts), or, in tests,
 * into the test's hands. The answer completes when the collector answered or the export gave up.
 */
public interface OtlpTransport {

  CompletableResultCode send(byte[] request, int records);

  /** Through the SDK's OTLP/HTTP exporter: the bytes are the request body as they are. */
  static OtlpTransport http(HttpExporter exporter) {
    return (request, records) -> exporter.export(new Encoded(request), records);
  }

  /**
   * Into the embedded collector's ingest in this JVM: no HTTP, the same protobuf request. Called on
   * the export thread, which waits there (never the application) while the collector is starting.
   */
  static OtlpTransport inProcess(EmbeddedCollector collector, String signal) {
    return (request, records) -> InProcess.send(collector, signal, request);
  }

  /** A request encoded already, handed to the SDK's sender as its marshaler. */
  final class Encoded extends Marshaler {
    private final byte[] bytes;

    Encoded(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int getBinarySerializedSize() {
      return bytes.length;
    }

    @Override
    protected void writeTo(Serializer output) throws IOException {
      output.writeSerializedMessage(bytes, "");
    }
  }
}
