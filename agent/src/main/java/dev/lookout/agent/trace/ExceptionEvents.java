package dev.lookout.agent.trace;

import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The span event {@code exception} with the semantic-convention attributes, as
 * {@code Span.recordException} writes it, except that the message and the stack trace (which
 * repeats the messages of the throwable and its causes) are redacted first: applications put
 * credentials into exception messages more often than they should.
 */
final class ExceptionEvents {

  static final AttributeKey<String> TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> MESSAGE = AttributeKey.stringKey("exception.message");
  static final AttributeKey<String> STACKTRACE = AttributeKey.stringKey("exception.stacktrace");

  private ExceptionEvents() {}

  static void record(Span span, Throwable thrown, Attributes extra, Redactor redactor) {
    StringWriter stack = new StringWriter(1024);
    thrown.printStackTrace(new PrintWriter(stack));
    AttributesBuilder attributes = Attributes.builder()
        .put(TYPE, thrown.getClass().getName())
        .put(STACKTRACE, redactor.message(stack.toString()));
    String message = thrown.getMessage();
    if (message != null) {
      attributes.put(MESSAGE, redactor.message(message));
    }
    span.addEvent("exception", attributes.putAll(extra).build());
  }
}
