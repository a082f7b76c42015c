package dev.lookout.agent.record;

/**
 * An event's attributes that write themselves, on the export thread: where an event is recorded
 * (a request's end, on the application's thread) no attribute set is built, sorted or copied.
 * Whoever hands one to a record hands it over: it must not change afterwards.
 */
public interface EventFields {

  /** Writes each attribute; {@code null} strings are left out by the writer. */
  void writeTo(Writer out);

  /** How many attributes {@link #writeTo} writes at most (for the buffer's byte estimate). */
  int size();

  /** Where the attributes go. */
  interface Writer {
    void string(String key, String value);

    void integer(String key, long value);
  }
}
