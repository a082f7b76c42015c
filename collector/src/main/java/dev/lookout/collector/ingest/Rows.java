package dev.lookout.collector.ingest;

import dev.lookout.collector.live.LiveHub;
import dev.lookout.collector.store.ExceptionRows;
import dev.lookout.collector.store.IoRows;
import dev.lookout.collector.store.LogRows;
import dev.lookout.collector.store.RequestRows;

/** The row types ingest writes, each publishing its committed rows to the live hub. */
public record Rows(RequestRows requests, LogRows logs, ExceptionRows exceptions, IoRows io) {

  public static Rows publishingTo(LiveHub live) {
    return new Rows(new RequestRows(live), new LogRows(live), new ExceptionRows(live), new IoRows(live));
  }
}
