package dev.lookout.collector.api;

import dev.lookout.collector.http.ApiError;

/** A client mistake; answered 400 with its message, which names the offending parameter. */
public final class BadRequestException extends ApiError {
  public BadRequestException(String message) {
    super(400, message);
  }
}
