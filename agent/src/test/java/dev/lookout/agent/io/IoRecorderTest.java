package dev.lookout.agent.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.bootstrap.IoHooks;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
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
