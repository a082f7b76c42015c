package dev.lookout.agent.export;

import dev.lookout.agent.config.Voice;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Watches the answers to the agent's exports and says, on stderr, when the collector cannot be
 * reached or refuses (with the HTTP status), at most once a minute, and once when it is back.
 */
final class CollectorHealth {

  static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

  private final String collector;
  private final Consumer<String> out;
  private final LongSupplier clock;

  private boolean down;
  /** The outage in course was announced: its end is announced too. */
  private boolean announced;
  private long lastWarning;
  private boolean warnedEver;

  CollectorHealth(String collector) {
    this(collector, Voice::say, System::nanoTime);
  }

  CollectorHealth(String collector, Consumer<String> out, LongSupplier clock) {
    this.collector = collector;
    this.out = out;
    this.clock = clock;
  }

  /** Called once the export's answer is known. */
  void answered(CompletableResultCode result) {
    try {
      if (result.isSuccess()) {
        succeeded();
      } else {
        failed(describe(result.getFailureThrowable()));
      }
    } catch (Throwable ignored) {
      // saying something must never cost the export thread
    }
  }

  synchronized void succeeded() {
    if (down && announced) {
      out.accept("collector " + collector + " reachable again; export resumed");
    }
    down = false;
    announced = false;
  }

  synchronized void failed(String why) {
    long now = clock.getAsLong();
    if (!down) {
      down = true;
      announced = false;
    }
    if (!announced && (!warnedEver || now - lastWarning >= WARNING_INTERVAL_NANOS)) {
      out.accept("warning: cannot export to collector " + collector + ": " + why
          + "; what it does not take is dropped (counted) until it answers");
      announced = true;
      warnedEver = true;
      lastWarning = now;
    }
  }

  static String describe(Throwable failure) {
    if (failure instanceof FailedExportException.HttpExportException) {
      FailedExportException.HttpExportException http = (FailedExportException.HttpExportException) failure;
      if (http.failedWithResponse() && http.getResponse() != null) {
        int status = http.getResponse().getStatusCode();
        String hint = status == 401 || status == 403 ? " (check lookout.collector.token)" : "";
        return "refused with HTTP " + status + hint;
      }
      failure = http.getCause() != null ? http.getCause() : failure;
    }
    if (failure == null) {
      return "no answer";
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "unreachable (connection refused)";
      }
      if (t instanceof java.net.UnknownHostException) {
        return "unreachable (unknown host " + t.getMessage() + ")";
      }
      if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
        return "unreachable (timed out)";
      }
    }
    String message = failure.getMessage();
    return "unreachable (" + failure.getClass().getSimpleName()
        + (message == null || message.isBlank() ? "" : ": " + message) + ")";
  }
}
