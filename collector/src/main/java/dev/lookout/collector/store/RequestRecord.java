package dev.lookout.collector.store;

/**
 * One served HTTP request: a SERVER span as the API shows it. {@code attributesJson} holds the span's
 * attributes but those {@code columns} keeps (null when none are left).
 */
public record RequestRecord(
    long id,
    String traceId,
    String spanId,
    String service,
    String method,
    String path,
    String route,
    String query,
    int status,
    double durationMs,
    long startTime,
    String clientAddress,
    int exceptionCount,
    int logCount,
    String attributesJson,
    RequestColumns columns) implements StoredRecord {

  /** The same request with the row id the store gave it. */
  public RequestRecord withId(long newId) {
    return new RequestRecord(newId, traceId, spanId, service, method, path, route, query, status, durationMs,
        startTime, clientAddress, exceptionCount, logCount, attributesJson, columns);
  }
}
