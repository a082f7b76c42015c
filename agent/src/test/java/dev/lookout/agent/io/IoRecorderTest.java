package dev.lookout.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.bootstrap.IoHooks;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.support.Exported;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

class IoRecorderTest {

  private static long[] delta(long in, long out, long calls, long file, long tls) {
    long[] d = new long[IoHooks.SLOTS];
    d[IoHooks.IN] = in;
    d[IoHooks.OUT] = out;
    d[IoHooks.CALLS] = calls;
    d[IoHooks.FILE] = file;
    d[IoHooks.TLS] = tls;
    return d;
  }

  @Test
  void fileBytesWrittenToASocketMakeACandidate() {
    IoTally t = new IoTally();
    t.fileSite("app.Files.serve:12");
    IoRecorder.Summary s = IoRecorder.summarize(t.drain(), delta(100, 5000, 4, 4096, 0));
    assertThat(s.verdict()).isEqualTo("candidate");
    assertThat(s.copiedBytes()).isEqualTo(4096);
    assertThat(s.rows).anySatisfy(r -> {
      assertThat(r.kind).isEqualTo("copy-loop");
      assertThat(r.callSite).isEqualTo("app.Files.serve:12");
    });
  }

  @Test
  void theSameOverTlsIsTlsBlocked() {
    IoRecorder.Summary s = IoRecorder.summarize(new IoTally().drain(), delta(100, 5200, 4, 4096, 5000));
    assertThat(s.verdict()).isEqualTo("tls-blocked");
    assertThat(s.rows).anySatisfy(r -> assertThat(r.reason).contains("zero-copy impossible: TLS"));
  }

  @Test
  void socketsAloneAreNoVerdictAndNothingIsCopied() {
    IoRecorder.Summary s = IoRecorder.summarize(new IoTally().drain(), delta(100, 200, 3, 0, 0));
    assertThat(s.verdict()).isEqualTo("none");
    assertThat(s.zeroCopyBytes() + s.copiedBytes()).isZero();
    assertThat(s.socketCalls).isEqualTo(3);
  }

  @Test
  void bytesATransferPushedThroughSocketWritesAreNoCopyLoop() {
    IoTally t = new IoTally();
    IoTally.Row fallback = new IoTally.Row("a.B.c:1", "transferTo", "user-copy", "fallback", "r", "file", "other");
    fallback.copiedBytes = 4096;
    t.add(fallback);
    t.transferSocketBytes(4096);
    IoRecorder.Summary s = IoRecorder.summarize(t.drain(), delta(0, 4096, 2, 100, 0));
    assertThat(s.verdict()).isEqualTo("fallback");
  }

  @Test
  void aSocketOnlySummaryIsTheSpansSocketFiguresAloneWithoutAnEvent() {
    SpanData span = applied(IoRecorder.summarize(new IoTally().drain(), delta(100, 200, 3, 0, 0)));
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_IN)).isEqualTo(100L);
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_OUT)).isEqualTo(200L);
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_CALLS)).isEqualTo(3L);
    assertThat(span.getAttributes().get(SpanKeys.VERDICT)).isNull();
    assertThat(span.getAttributes().get(SpanKeys.ZERO_COPY_BYTES)).isNull();
    // the collector makes the socket row from the attributes: no event, so no slow path on either side
    assertThat(span.getEvents()).isEmpty();
  }

  @Test
  void tlsSocketTrafficKeepsItsEventForItsVerdictAndReason() {
    SpanData span = applied(IoRecorder.summarize(new IoTally().drain(), delta(100, 200, 3, 0, 150)));
    assertThat(span.getEvents()).singleElement().satisfies(e -> {
      assertThat(e.getName()).isEqualTo("lookout.io");
      assertThat(e.getAttributes().get(IoRecorder.E_KIND)).isEqualTo("socket");
      assertThat(e.getAttributes().get(IoRecorder.E_BYTES)).isEqualTo(300L);
      assertThat(e.getAttributes().get(IoRecorder.E_CALLS)).isEqualTo(3L);
      assertThat(e.getAttributes().get(IoRecorder.E_VERDICT)).isEqualTo("tls-blocked");
      assertThat(e.getAttributes().get(IoRecorder.E_CALL_SITE)).isNull();
      assertThat(e.getAttributes().get(IoRecorder.E_COPIED)).isNull();
    });
  }

  @Test
  void aTransferSummaryCarriesItsVerdictAndEveryFigure() {
    IoTally t = new IoTally();
    IoTally.Row sent = new IoTally.Row("app.Files.send:7", "transferTo", "sendfile", "zero-copy",
        "moved by the kernel (sendfile)", "file", "socket");
    sent.calls = 1;
    sent.bytes = 32768;
    sent.zeroCopyBytes = 32768;
    t.add(sent);
    SpanData span = applied(IoRecorder.summarize(t.drain(), delta(0, 32768, 1, 0, 0)));
    assertThat(span.getAttributes().get(SpanKeys.VERDICT)).isEqualTo("zero-copy");
    assertThat(span.getAttributes().get(SpanKeys.ZERO_COPY_BYTES)).isEqualTo(32768L);
    assertThat(span.getAttributes().get(SpanKeys.COPIED_BYTES)).isEqualTo(0L);
    assertThat(span.getEvents()).anySatisfy(e -> {
      assertThat(e.getAttributes().get(IoRecorder.E_KIND)).isEqualTo("transferTo");
      assertThat(e.getAttributes().get(IoRecorder.E_CALL_SITE)).isEqualTo("app.Files.send:7");
      assertThat(e.getAttributes().get(IoRecorder.E_ZERO)).isEqualTo(32768L);
      assertThat(e.getAttributes().get(IoRecorder.E_REASON)).isEqualTo("moved by the kernel (sendfile)");
    });
  }

  /** The summary applied to a request's record, as the OTLP exporter receives it. */
  private static SpanData applied(IoRecorder.Summary summary) {
    Exported exported = new Exported();
    SpanRecord record = exported.sink.span();
    record.traceIdLow = 1;
    record.spanId = 1;
    record.method = "GET";
    summary.applyTo(record, exported.sink.epochNanos());
    exported.sink.submit(record);
    List<SpanData> out = exported.spans();
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void channelKinds() throws Exception {
    Path f = Files.createTempFile("io", ".bin");
    try (FileChannel ch = FileChannel.open(f)) {
      assertThat(IoRecorder.kindOf(ch)).isEqualTo("file");
    } finally {
      Files.delete(f);
    }
    Pipe p = Pipe.open();
    assertThat(IoRecorder.kindOf(p.sink())).isEqualTo("pipe");
    assertThat(IoRecorder.kindOf(new Object())).isEqualTo("other");
  }
}
