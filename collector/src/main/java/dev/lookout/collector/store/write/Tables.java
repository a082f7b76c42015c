package dev.lookout.collector.store.write;

/** The table of each kind of record ingest writes; they hold no state, so one of each serves every batch. */
public final class Tables {

  public static final RequestTable REQUESTS = new RequestTable();
  public static final LogTable LOGS = new LogTable();
  public static final ExceptionTable EXCEPTIONS = new ExceptionTable();
  public static final IoTable IO = new IoTable();

  private Tables() {}
}
