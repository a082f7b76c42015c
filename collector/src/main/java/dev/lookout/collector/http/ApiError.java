package dev.lookout.collector.http;

/** An answer other than success, with the status it deserves; rendered as {@code {"error": message}}. */
public class ApiError extends RuntimeException {

  private final int status;

  public ApiError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
