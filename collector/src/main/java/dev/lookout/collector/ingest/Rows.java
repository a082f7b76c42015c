package dev.lookout.collector.ingest;

import dev.lookout.collector.store.RequestRecord;
import dev.lookout.collector.store.write.ExceptionTable;
import dev.lookout.collector.store.write.IoTable;
import dev.lookout.collector.store.write.LogTable;
import dev.lookout.collector.store.write.RequestTable;
import dev.lookout.collector.live.LiveHub;
import java.util.List;
import java.util.function.Consumer;

/** The row types ingest writes, each publishing its committed rows to the live hub (requests to their metrics too). */
public record Rows(RequestTable requests, LogTable logs, ExceptionTable exceptions, IoTable io) {

  public static Rows publishingTo(LiveHub live, Consumer<List<RequestRecord>> requestMetrics) {
    return new Rows(new RequestTable(live, requestMetrics), new LogTable(live), new ExceptionTable(live), new IoTable(live));
  }
}
