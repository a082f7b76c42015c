package dev.lookout.collector.api;

/** A client mistake; answered 400 with its message, which names the offending parameter. */
public final class BadRequestException extends ApiError {
  public BadRequestException(String message) {
    super(400, message);
  }
}
