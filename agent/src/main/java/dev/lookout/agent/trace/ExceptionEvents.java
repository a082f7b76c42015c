package dev.lookout.agent.trace;

import dev.lookout.protocol.ExceptionEvent;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A throwable as the semantic-convention attributes {@code exception.type}, {@code .message} and
 * {@code .stacktrace}, the way {@code Span.recordException} writes them, except that the message and
 * the stack trace (which repeats the messages of the throwable and its causes) are redacted first:
 * applications put credentials into exception messages more often than they should. Used for span
 * {@code exception} events and log records alike, on the export thread.
 */
public final class ExceptionEvents {

  public static final AttributeKey<String> TYPE = AttributeKey.stringKey(ExceptionEvent.TYPE);
  public static final AttributeKey<String> MESSAGE = AttributeKey.stringKey(ExceptionEvent.MESSAGE);
  public static final AttributeKey<String> STACKTRACE = AttributeKey.stringKey(ExceptionEvent.STACKTRACE);
  public static final AttributeKey<Boolean> DUPLICATE_KEY = AttributeKey.booleanKey(ExceptionEvent.DUPLICATE);

  /** The extra attributes of an exception event: a first report, or one reported before. */
  static final Attributes FIRST = Attributes.empty();
  static final Attributes DUPLICATE = Attributes.of(DUPLICATE_KEY, true);

  private ExceptionEvents() {}

  /** Adds the throwable's type, redacted message and redacted stack trace. */
  public static AttributesBuilder addTo(AttributesBuilder attributes, Throwable thrown, Redactor redactor) {
    StringWriter stack = new StringWriter(1024);
    thrown.printStackTrace(new PrintWriter(stack));
    attributes.put(TYPE, thrown.getClass().getName())
        .put(STACKTRACE, redactor.message(stack.toString()));
    String message = thrown.getMessage();
    if (message != null) {
      attributes.put(MESSAGE, redactor.message(message));
    }
    return attributes;
  }
}
