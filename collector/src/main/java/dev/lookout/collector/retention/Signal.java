package dev.lookout.collector.retention;

import java.util.Locale;

/** The kinds of stored record that retention rules name, with their table and time column. */
public enum Signal {
  REQUESTS("requests", "start_time"),
  LOGS("logs", "time"),
  EXCEPTIONS("exceptions", "time"),
  IO("io", "time");

  public final String table;
  public final String timeColumn;

  Signal(String table, String timeColumn) {
    this.table = table;
    this.timeColumn = timeColumn;
  }

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Signal of(String name) {
    for (Signal s : values()) {
      if (s.key().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown signal '" + name.trim() + "' (use requests, logs, exceptions, io)");
  }
}
