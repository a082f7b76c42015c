package dev.lookout.collector.startup;

/** A refusal to start with a message meant for the operator. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
