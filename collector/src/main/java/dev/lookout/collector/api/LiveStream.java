package dev.lookout.collector.api;

import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.RecordKind;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.StoredRecord;
import dev.lookout.collector.store.query.LogQuery;
import dev.lookout.collector.store.query.RequestQuery;
import dev.lookout.collector.live.LiveHub;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code GET /api/live}: server-sent events of new records, filtered server-side with the same
 * parameters as the list routes ({@code kinds=request,log,exception,io} narrows the kinds; request
 * filters apply to requests, {@code level} and {@code q} to logs, {@code service} to all).
 */
final class LiveStream {

  /** How often an idle stream sends a comment, so proxies and browsers keep it open. */
  private static final long KEEPALIVE_SECONDS = 15;
  /** Events written before a flush at most, when many are queued. */
  private static final int EVENTS_PER_FLUSH = 64;

  private LiveStream() {}

  /** Blocks this request's thread for the life of the stream; the writer never waits on it. */
  static void serve(SseClient client, LiveHub live) {
    LiveHub.Filter filter;
    try {
      filter = filter(client);
    } catch (BadRequestException e) {
      client.ctx().status(400);
      client.sendEvent("error", Json.write(Json.error(e.getMessage())));
      client.close();
      return;
    }
    try (LiveHub.Subscriber subscriber = live.subscribe(filter)) {
      client.sendComment("connected");
      while (!client.terminated()) {
        LiveHub.Event event = subscriber.next(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        long skipped = subscriber.takeSkipped();
        if (skipped > 0) {
          client.sendEvent("skipped", Json.write(Json.object().put("skipped", skipped)));
        }
        if (event == null) {
          client.sendComment("keepalive");
        } else {
          send(client, subscriber, event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code first} and the events queued behind it (up to {@link #EVENTS_PER_FLUSH}) written as
   * Javalin writes an event ({@code event: name}, one {@code data:} line, since the JSON has no line
   * breaks, and a blank line), then flushed once. {@link SseClient#sendEvent} flushed every event and
   * made two 8 KB reader buffers to split its data into lines: in the collector bench the live probe's
   * events cost the receiving threads about a seventh of their time. A stream that cannot be written
   * is closed, as the client does it.
   */
  private static void send(SseClient client, LiveHub.Subscriber subscriber, LiveHub.Event first) {
    StringBuilder out = new StringBuilder(1024);
    int count = 0;
    for (LiveHub.Event e = first; e != null; e = ++count < EVENTS_PER_FLUSH ? subscriber.poll() : null) {
      out.append("event: ").append(e.kind().eventName).append('\n')
          .append("data: ").append(Json.write(Json.record(e.kind(), e.row()))).append("\n\n");
    }
    try {
      HttpServletResponse response = client.ctx().res();
      response.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
      response.flushBuffer();
    } catch (IOException | RuntimeException e) {
      // gone: the browser left, or the server stopped and recycled the response (IllegalStateException)
      client.close();
    }
  }

  static LiveHub.Filter filter(SseClient client) {
    RequestQuery requests = QueryParams.requests(client.ctx());
    LogQuery logs = QueryParams.logs(client.ctx());
    Set<RecordKind> kinds = kinds(QueryParams.text(client.ctx(), "kinds"));
    Predicate<RequestRecord> requestFilter = requests.predicate();
    String service = requests.service();
    return (kind, row) -> {
      if (!kinds.contains(kind)) {
        return false;
      }
      switch (kind) {
        case REQUEST: return requestFilter.test((RequestRecord) row);
        case LOG: return logs.matches((LogEntryRecord) row);
        default: return service == null || service.equals(((StoredRecord) row).service());
      }
    };
  }

  private static Set<RecordKind> kinds(String list) {
    if (list == null) {
      return EnumSet.allOf(RecordKind.class);
    }
    Set<RecordKind> kinds = EnumSet.noneOf(RecordKind.class);
    for (String k : list.split(",")) {
      try {
        kinds.add(RecordKind.ofEventName(k));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("bad parameter 'kinds': " + e.getMessage());
      }
    }
    return kinds;
  }
}
