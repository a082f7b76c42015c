package dev.lookout.protocol;

/** The agent's own health metrics, which the collector reads as records the agent lost. */
public final class AgentMetrics {

  /** Every agent metric's name starts with this. */
  public static final String PREFIX = "lookout.agent.";
  public static final String BUFFER_DROPPED = "lookout.agent.buffer.dropped";
  public static final String EXPORT_FAILED = "lookout.agent.export.failed";

  private AgentMetrics() {}
}
