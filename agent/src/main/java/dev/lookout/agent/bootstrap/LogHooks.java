package dev.lookout.agent.bootstrap;

/**
 * The bridge from logging-framework advice (JUL, Logback, Log4j2) and from
 * {@code Thread.dispatchUncaughtException} to the agent. Bootstrap-loaded, JDK types only.
 *
 * <p>Levels are normalised here once: 1 TRACE, 2 DEBUG, 3 INFO, 4 WARN, 5 ERROR. Advice compares
 * against {@link #threshold} before it extracts anything, so records below the configured level
 * cost one field read.
 */
public abstract class LogHooks {

  public static final int TRACE = 1;
  public static final int DEBUG = 2;
  public static final int INFO = 3;
  public static final int WARN = 4;
  public static final int ERROR = 5;

  private static volatile LogHooks delegate;
  /** Lowest level captured; above ERROR (nothing) until the agent installs a delegate. */
  public static volatile int threshold = ERROR + 1;

  public static void install(LogHooks hooks, int minimumLevel) {
    delegate = hooks;
    threshold = minimumLevel;
  }

  /** JUL's integer levels: SEVERE 1000, WARNING 900, INFO 800, CONFIG 700, FINE 500, FINER 400. */
  public static int julLevel(int value) {
    return value >= 1000 ? ERROR : value >= 900 ? WARN : value >= 800 ? INFO : value >= 500 ? DEBUG : TRACE;
  }

  /** Logback's {@code Level.toInt()}: ERROR 40000, WARN 30000, INFO 20000, DEBUG 10000, TRACE 5000. */
  public static int logbackLevel(int value) {
    return value >= 40000 ? ERROR : value >= 30000 ? WARN : value >= 20000 ? INFO : value >= 10000 ? DEBUG : TRACE;
  }

  /** Log4j2's {@code intLevel()}, smaller is more severe: FATAL 100, ERROR 200, WARN 300, INFO 400, DEBUG 500. */
  public static int log4jLevel(int value) {
    return value <= 200 ? ERROR : value <= 300 ? WARN : value <= 400 ? INFO : value <= 500 ? DEBUG : TRACE;
  }

  /** Set while a captured JUL record goes on to its handlers, which may bridge it to SLF4J. */
  private static final ThreadLocal<boolean[]> IN_JUL = ThreadLocal.withInitial(() -> new boolean[1]);

  /**
   * A JUL record reached {@code Logger.log(LogRecord)}. Returns true when it was captured; the
   * advice then calls {@link #julDone} after the handlers ran, and until then records arriving
   * through a JUL-to-SLF4J bridge are not captured a second time.
   */
  public static boolean recordJul(java.util.logging.Logger logger, java.util.logging.LogRecord record) {
    LogHooks hooks = delegate;
    if (hooks == null || record == null || julLevel(record.getLevel().intValue()) < threshold
        || !logger.isLoggable(record.getLevel()) || IoHooks.onAgentThread()) {
      return false;
    }
    try {
      String message = record.getMessage();
      if (record.getParameters() != null || record.getResourceBundle() != null) {
        message = julFormatter().formatMessage(record);
      }
      hooks.onRecord(record.getMillis(), julLevel(record.getLevel().intValue()), record.getLoggerName(), message,
          record.getThrown());
      IN_JUL.get()[0] = true;
      return true;
    } catch (Throwable ignored) {
      return false;
    }
  }

  public static void julDone() {
    IN_JUL.get()[0] = false;
  }

  /**
   * Made at the first JUL record with parameters, not at premain: a {@code SimpleFormatter} starts
   * JUL's {@code LogManager}, which an application logging through another library never needs.
   */
  private static volatile java.util.logging.Formatter julFormatter;

  private static java.util.logging.Formatter julFormatter() {
    java.util.logging.Formatter f = julFormatter;
    if (f == null) {
      f = new java.util.logging.SimpleFormatter();
      julFormatter = f;
    }
    return f;
  }

  public static void record(long epochMillis, int level, String logger, String message, Throwable thrown) {
    LogHooks hooks = delegate;
    if (hooks == null || level < threshold || IN_JUL.get()[0]) {
      return;
    }
    try {
      hooks.onRecord(epochMillis, level, logger, message, thrown);
    } catch (Throwable ignored) {
      // never into the application
    }
  }

  public static void uncaught(Thread thread, Throwable thrown) {
    LogHooks hooks = delegate;
    if (hooks == null || IoHooks.onAgentThread()) {
      return;
    }
    try {
      hooks.onUncaught(thread, thrown);
    } catch (Throwable ignored) {
      // the JVM's own handler still runs
    }
  }

  /** Ids of the span current on this thread, for the application's MDC; null outside a span. */
  public static String currentTraceId() {
    LogHooks hooks = delegate;
    try {
      return hooks == null ? null : hooks.traceId();
    } catch (Throwable ignored) {
      return null;
    }
  }

  public static String currentSpanId() {
    LogHooks hooks = delegate;
    try {
      return hooks == null ? null : hooks.spanId();
    } catch (Throwable ignored) {
      return null;
    }
  }

  /** Whether trace ids go into the application's MDC / ThreadContext ({@code lookout.logs.mdc}). */
  public static volatile boolean mdc;

  protected abstract void onRecord(long epochMillis, int level, String logger, String message, Throwable thrown);

  protected abstract void onUncaught(Thread thread, Throwable thrown);

  protected abstract String traceId();

  protected abstract String spanId();
}
