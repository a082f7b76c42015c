package dev.lookout.collector.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing per client address: after a few failures each further attempt must wait
 * twice as long as the last (1 s, 2 s, 4 s … up to 5 minutes); a success clears the record.
 */
final class LoginThrottle {

  static final int FREE_ATTEMPTS = 3;
  private static final long MAX_WAIT_MS = 300_000;

  private record Failures(int count, long blockedUntil) {}

  private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();

  /** Milliseconds this address must still wait, 0 when it may try. */
  long waitMs(String address) {
    Failures f = byAddress.get(address);
    return f == null ? 0 : Math.max(0, f.blockedUntil - System.currentTimeMillis());
  }

  void failed(String address) {
    byAddress.compute(address, (a, f) -> {
      int count = f == null ? 1 : f.count + 1;
      long wait = count <= FREE_ATTEMPTS ? 0 : Math.min(MAX_WAIT_MS, 1000L << Math.min(20, count - FREE_ATTEMPTS - 1));
      return new Failures(count, System.currentTimeMillis() + wait);
    });
    if (byAddress.size() > 10_000) {
      long now = System.currentTimeMillis();
      byAddress.values().removeIf(f -> f.blockedUntil < now);
    }
  }

  void succeeded(String address) {
    byAddress.remove(address);
  }
}
