package dev.lookout.agent.trace;

import dev.lookout.agent.bootstrap.PerThread;
import dev.lookout.agent.bootstrap.SameStrings;

/**
 * What the agent keeps per request thread, behind one lookup ({@link PerThread}): the request current
 * on it (for logs, exceptions and bodies), the container's exchange on it, and room for a parsed
 * {@code traceparent}. A handle keeps the state of the thread it is attached to, so a request's end
 * and the exchange's end look nothing up.
 */
final class RequestThread {

  private static final PerThread<RequestThread> OF = new PerThread<>();

  /** The request being recorded on this thread, or null. */
  RequestHandle current;

  /**
   * The container's exchange on this thread (advised around it only where container advice ran): how
   * deep, the request whose servlet returned and whose record waits for the exchange's end, and the
   * sendfile of its response if the container began one.
   */
  int depth;
  RequestHandle pending;
  ServerSpans.Sendfile sendfile;

  /**
   * The strings of this thread's last request that the export thread compares with the last it
   * encoded, by these slots (see {@link SameStrings}).
   */
  final SameStrings seen = new SameStrings(4);
  static final int SEEN_SERVER = 0;
  static final int SEEN_PATH = 1;
  static final int SEEN_CLIENT = 2;
  static final int SEEN_USER_AGENT = 3;

  /** A parsed traceparent: trace id high and low, parent span id, flags. */
  final long[] parent = new long[4];

  /** This thread's state, made on first use (once per thread). */
  static RequestThread here() {
    RequestThread t = OF.get();
    if (t == null) {
      t = new RequestThread();
      OF.set(t);
    }
    return t;
  }

  /** This thread's state, or null where no request or exchange was ever seen on it. */
  static RequestThread hereIfAny() {
    return OF.get();
  }

  /** The request current on this thread, or null. */
  static RequestHandle currentRequest() {
    RequestThread t = OF.get();
    return t == null ? null : t.current;
  }
}
