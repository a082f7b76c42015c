package dev.lookout.collector.store;

/** One occurrence of an exception: thrown out of a request, logged, or uncaught. */
public record ExceptionRecord(
    long id,
    long time,
    String service,
    String fingerprint,
    String type,
    String message,
    String stacktrace,
    String traceId,
    String spanId,
    String source) implements StoredRecord {}
