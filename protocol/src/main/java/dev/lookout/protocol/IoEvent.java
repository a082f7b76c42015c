package dev.lookout.protocol;

/** The {@code lookout.io} span event: a unit of work's I/O at one call site, and its attributes. */
public final class IoEvent {

  public static final String NAME = "lookout.io";

  public static final String CALL_SITE = "call_site";
  public static final String KIND = "kind";
  public static final String CALLS = "calls";
  public static final String BYTES = "bytes";
  public static final String ZERO_COPY_BYTES = "zero_copy_bytes";
  public static final String COPIED_BYTES = "copied_bytes";
  public static final String MECHANISM = "mechanism";
  public static final String VERDICT = "verdict";
  public static final String REASON = "reason";
  public static final String NANOS = "nanos";
  public static final String SOURCE = "source";
  public static final String TARGET = "target";

  private IoEvent() {}
}
