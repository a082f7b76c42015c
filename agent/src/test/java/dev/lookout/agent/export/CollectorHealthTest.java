package dev.lookout.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CollectorHealthTest {

  private final List<String> lines = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);
  private final CollectorHealth health = new CollectorHealth("http://c:1", lines::add, now::get);

  private static CompletableResultCode refused(int status) {
    HttpResponse response = new HttpResponse() {
      @Override public int getStatusCode() { return status; }
      @Override public String getStatusMessage() { return ""; }
      @Override public byte[] getResponseBody() { return new byte[0]; }
    };
    return CompletableResultCode.ofExceptionalFailure(FailedExportException.httpFailedWithResponse(response));
  }

  private static CompletableResultCode unreachable() {
    return CompletableResultCode.ofExceptionalFailure(
        FailedExportException.httpFailedExceptionally(new ConnectException().initCause(new java.nio.channels.ClosedChannelException())));
  }

  @Test
  void oneWarningAMinuteAndOneLineWhenBack() {
    for (int i = 0; i < 50; i++) {
      health.answered(unreachable());
      now.addAndGet(1_000_000_000L);
    }
    assertThat(lines).containsExactly("warning: cannot export to collector http://c:1: unreachable (connection refused)"
        + "; what it does not take is dropped (counted) until it answers");
    health.answered(CompletableResultCode.ofSuccess());
    health.answered(CompletableResultCode.ofSuccess());
    assertThat(lines).hasSize(2).last().isEqualTo("collector http://c:1 reachable again; export resumed");
    // down again within the minute: not said again, nor its end
    health.answered(refused(401));
    health.answered(CompletableResultCode.ofSuccess());
    assertThat(lines).hasSize(2);
    now.addAndGet(61_000_000_000L);
    health.answered(refused(401));
    assertThat(lines).hasSize(3).last().asString().contains("refused with HTTP 401");
  }

  @Test
  void successAloneSaysNothing() {
    health.answered(CompletableResultCode.ofSuccess());
    health.answered(CompletableResultCode.ofFailure());
    assertThat(lines).containsExactly("warning: cannot export to collector http://c:1: no answer"
        + "; what it does not take is dropped (counted) until it answers");
  }

  @Test
  void theCauseIsNamedPlainly() {
    assertThat(CollectorHealth.describe(FailedExportException.httpFailedExceptionally(
        new java.io.IOException(new java.net.UnknownHostException("nowhere"))))).isEqualTo("unreachable (unknown host nowhere)");
    assertThat(CollectorHealth.describe(FailedExportException.httpFailedExceptionally(
        new java.net.http.HttpConnectTimeoutException("t")))).isEqualTo("unreachable (timed out)");
    assertThat(CollectorHealth.describe(new IllegalStateException("odd"))).isEqualTo("unreachable (IllegalStateException: odd)");
    assertThat(CollectorHealth.describe(refused(503).getFailureThrowable())).isEqualTo("refused with HTTP 503");
  }
}
