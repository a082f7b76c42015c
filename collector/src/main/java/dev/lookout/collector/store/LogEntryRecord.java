package dev.lookout.collector.store;

/** One log record as stored; {@code level} is 1 TRACE … 5 ERROR. */
public record LogEntryRecord(
    long id,
    long time,
    String service,
    int level,
    String logger,
    String thread,
    String message,
    String exception,
    String traceId,
    String spanId) implements StoredRecord {

  public static final String[] LEVELS = {"", "TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

  public String levelName() {
    return LEVELS[Math.max(1, Math.min(5, level))];
  }

  /** {@code TRACE} … {@code ERROR} (and JUL's names) to 1 … 5; -1 when unknown. */
  public static int levelOf(String name) {
    switch (name.trim().toUpperCase(java.util.Locale.ROOT)) {
      case "TRACE": case "FINEST": case "FINER": return 1;
      case "DEBUG": case "FINE": case "CONFIG": return 2;
      case "INFO": return 3;
      case "WARN": case "WARNING": return 4;
      case "ERROR": case "SEVERE": case "FATAL": return 5;
      default: return -1;
    }
  }
}
