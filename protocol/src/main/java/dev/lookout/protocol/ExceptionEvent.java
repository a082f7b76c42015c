package dev.lookout.protocol;

/** The OpenTelemetry {@code exception} span event and its attributes, with Lookout's duplicate flag. */
public final class ExceptionEvent {

  public static final String NAME = "exception";

  public static final String TYPE = "exception.type";
  public static final String MESSAGE = "exception.message";
  public static final String STACKTRACE = "exception.stacktrace";
  /** True when the same throwable was already reported on this span (rethrown up the stack). */
  public static final String DUPLICATE = "lookout.exception.duplicate";

  private ExceptionEvent() {}
}
