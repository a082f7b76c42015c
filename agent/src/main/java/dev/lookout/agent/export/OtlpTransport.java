package dev.lookout.agent.export;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.marshal.Serializer;
import io.opentelemetry.exporter.otlp.internal.HttpExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import dev.lookout.agent.embedded.EmbeddedCollector;
import io.opentelemetry.sdk.common.export.MessageWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where an encoded OTLP export request goes: to the collector over OTLP/HTTP through the
 * OpenTelemetry SDK's HTTP exporter (its JDK HttpClient sender, retries and timeouts), or, in tests,
 * into the test's hands. The answer completes when the collector answered or the export gave up.
 */
public interface OtlpTransport {

  /**
   * Sends the request in {@code buffer[0, length)}. The buffer is the encoder's: it stays untouched
   * until the answer completed, and is reused after that.
   */
  CompletableResultCode send(byte[] buffer, int length, int records);

  /** Through the SDK's OTLP/HTTP exporter: the bytes are the request body as they are. */
  static OtlpTransport http(HttpExporter exporter) {
    return (buffer, length, records) -> exporter.export(new Encoded(buffer, length), records);
  }

  /**
   * Into the embedded collector's ingest in this JVM: no HTTP, the same protobuf request. Called on
   * the export thread, which waits there (never the application) while the collector is starting.
   */
  static OtlpTransport inProcess(EmbeddedCollector collector, String signal) {
    return (buffer, length, records) -> InProcess.send(collector, signal, java.util.Arrays.copyOf(buffer, length));
  }

  /**
   * A request encoded already, handed to the SDK's sender as its marshaler: written to the HTTP body as
   * it is, straight from the encoder's buffer (no copy of the batch per export).
   */
  final class Encoded extends Marshaler {
    private final byte[] buffer;
    private final int length;

    Encoded(byte[] buffer, int length) {
      this.buffer = buffer;
      this.length = length;
    }

    @Override
    public int getBinarySerializedSize() {
      return length;
    }

    @Override
    public MessageWriter toBinaryMessageWriter() {
      return new MessageWriter() {
        @Override
        public void writeMessage(OutputStream output) throws IOException {
          output.write(buffer, 0, length);
        }

        @Override
        public int getContentLength() {
          return length;
        }
      };
    }

    @Override
    protected void writeTo(Serializer output) throws IOException {
      output.writeSerializedMessage(java.util.Arrays.copyOf(buffer, length), ""); // JSON is never asked for
    }
  }
}
