package dev.lookout.collector.store.query;

/**
 * Lookout's agent starts its trace ids with the epoch second they were made in (as AWS X-Ray
 * does), so a trace can be found through the time index. Ids from elsewhere are random: a value
 * outside the plausible range is ignored, and a plausible-looking random one merely costs a
 * fruitless window search before the full scan.
 */
public final class TraceIds {

  private static final long EARLIEST = 1_500_000_000L; // 2017
  private static final long SLACK_SECONDS = 86_400;

  private TraceIds() {}

  /** The embedded time in epoch milliseconds, or null when the id cannot carry one. */
  public static Long embeddedMillis(String traceId) {
    if (traceId == null || traceId.length() != 32) {
      return null;
    }
    long seconds;
    try {
      seconds = Long.parseLong(traceId.substring(0, 8), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    long now = System.currentTimeMillis() / 1000;
    return seconds >= EARLIEST && seconds <= now + SLACK_SECONDS ? seconds * 1000 : null;
  }
}
