package dev.lookout.collector.store;


/**
 * One {@code lookout.io} span event: a unit of work's I/O at one call site, of one kind, through one
 * mechanism. {@code path} is the request's route or path, {@code "-"} for I/O outside requests.
 * {@code units} is how many units of work the row adds up: 1, except for plain socket rows, which
 * ingest sums per service, path and second (see {@code IoMapper}); such a row names no trace.
 */
public record IoRecord(
    long id,
    long time,
    String service,
    String path,
    String callSite,
    String kind,
    long calls,
    long bytes,
    long zeroCopyBytes,
    long copiedBytes,
    String mechanism,
    String verdict,
    String reason,
    long nanos,
    String source,
    String target,
    String traceId,
    String spanId,
    long units) implements StoredRecord {

  public IoRecord withId(long newId) {
    return new IoRecord(newId, time, service, path, callSite, kind, calls, bytes, zeroCopyBytes, copiedBytes,
        mechanism, verdict, reason, nanos, source, target, traceId, spanId, units);
  }
}
