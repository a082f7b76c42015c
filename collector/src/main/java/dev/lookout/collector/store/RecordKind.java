package dev.lookout.collector.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of stored record, each described once: its table and time column (where the store keeps
 * it and retention ages it), its record type, its name as a live event and its name as a retention
 * signal (which is its table's). Ingest, the writer, retention, the live stream and the API all go by
 * this; the API's JSON form of each kind is an exhaustive switch over it, so a new kind fails to
 * compile until every place that must know it does.
 */
public enum RecordKind {
  REQUEST("requests", "start_time", "request", RequestRecord.class),
  LOG("logs", "time", "log", LogEntryRecord.class),
  EXCEPTION("exceptions", "time", "exception", ExceptionRecord.class),
  IO("io", "time", "io", IoRecord.class);

  public final String table;
  public final String timeColumn;
  public final String eventName;
  public final Class<? extends StoredRecord> recordType;

  RecordKind(String table, String timeColumn, String eventName, Class<? extends StoredRecord> recordType) {
    this.table = table;
    this.timeColumn = timeColumn;
    this.eventName = eventName;
    this.recordType = recordType;
  }

  /** The name retention rules use ({@code --retention requests=7d}) and metrics label with. */
  public String signal() {
    return table;
  }

  /** The kind whose {@link #signal} is {@code name}. */
  public static RecordKind ofSignal(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (RecordKind k : values()) {
      if (k.signal().equals(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown signal '" + name.trim() + "' (use " + names(k -> k.signal()) + ")");
  }

  /** The kind whose {@link #eventName} is {@code name}. */
  public static RecordKind ofEventName(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (RecordKind k : values()) {
      if (k.eventName.equals(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown kind '" + name.trim() + "' (use " + names(k -> k.eventName) + ")");
  }

  private static String names(java.util.function.Function<RecordKind, String> name) {
    return Arrays.stream(values()).map(name).collect(Collectors.joining(", "));
  }
}
