package dev.lookout.collector.api;

import dev.lookout.collector.store.ExceptionRecord;
import dev.lookout.collector.store.LogEntryRecord;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.query.LogQuery;
import dev.lookout.collector.store.query.RequestQuery;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lookout.collector.live.LiveHub;
import io.javalin.http.sse.SseClient;
import java.util.EnumSet;
import java.util.Locale;
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
          client.sendEvent(event.kind().eventName, Json.write(toJson(event)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ObjectNode toJson(LiveHub.Event event) {
    Object row = event.row();
    if (row instanceof RequestRecord r) {
      return Json.request(r);
    }
    if (row instanceof LogEntryRecord l) {
      return Json.log(l);
    }
    if (row instanceof ExceptionRecord e) {
      return Json.exception(e);
    }
    return row instanceof LiveHub.JsonRow j ? (ObjectNode) Json.MAPPER.valueToTree(j.toJsonMap()) : Json.object();
  }

  static LiveHub.Filter filter(SseClient client) {
    RequestQuery requests = QueryParams.requests(client.ctx());
    LogQuery logs = QueryParams.logs(client.ctx());
    Set<LiveHub.Kind> kinds = kinds(QueryParams.text(client.ctx(), "kinds"));
    Predicate<RequestRecord> requestFilter = requests.predicate();
    String service = requests.service();
    return (kind, row) -> {
      if (!kinds.contains(kind)) {
        return false;
      }
      switch (kind) {
        case REQUEST: return requestFilter.test((RequestRecord) row);
        case LOG: return logs.matches((LogEntryRecord) row);
        default: return service == null || service.equals(serviceOf(row));
      }
    };
  }

  private static String serviceOf(Object row) {
    if (row instanceof ExceptionRecord e) {
      return e.service();
    }
    return row instanceof LiveHub.JsonRow j ? j.service() : null;
  }

  private static Set<LiveHub.Kind> kinds(String list) {
    if (list == null) {
      return EnumSet.allOf(LiveHub.Kind.class);
    }
    Set<LiveHub.Kind> kinds = EnumSet.noneOf(LiveHub.Kind.class);
    for (String k : list.split(",")) {
      try {
        kinds.add(LiveHub.Kind.valueOf(k.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new BadRequestException("bad parameter 'kinds': unknown kind '" + k.trim()
            + "' (use request, log, exception, io)");
      }
    }
    return kinds;
  }
}
