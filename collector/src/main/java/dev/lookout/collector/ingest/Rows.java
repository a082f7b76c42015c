package dev.lookout.collector.ingest;

import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.store.ExceptionRows;
import dev.lookout.collector.store.IoRows;
import dev.lookout.collector.store.LogRows;
import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.RequestRows;
import java.util.List;
import java.util.function.Consumer;

/** The row types ingest writes, each publishing its committed rows to the live hub (requests to their metrics too). */
public record Rows(RequestRows requests, LogRows logs, ExceptionRows exceptions, IoRows io) {

  public static Rows publishingTo(LiveHub live, Consumer<List<RequestRecord>> requestMetrics) {
    return new Rows(new RequestRows(live, requestMetrics), new LogRows(live), new ExceptionRows(live), new IoRows(live));
  }
}
