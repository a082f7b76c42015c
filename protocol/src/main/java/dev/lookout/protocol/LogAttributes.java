package dev.lookout.protocol;

/** Attribute names on the log records the agent sends. */
public final class LogAttributes {

  public static final String THREAD_NAME = "thread.name";
  /** Where an exception record came from (a log call, an uncaught throwable). */
  public static final String EXCEPTION_SOURCE = "lookout.exception.source";

  private LogAttributes() {}
}
