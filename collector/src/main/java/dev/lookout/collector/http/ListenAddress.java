package dev.lookout.collector.http;

/** Where a server listens, and the option that set its port (named when the address is taken). */
public record ListenAddress(String host, int port, String option) {

  /** The operator's message when this address cannot be listened on. */
  public String unavailable(String detail) {
    return "cannot listen on " + host + ":" + port + " (" + option + "): the address is in use or not available here"
        + detail;
  }
}
