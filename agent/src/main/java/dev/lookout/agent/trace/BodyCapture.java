package dev.lookout.agent.trace;

import dev.lookout.protocol.SpanAttributes;
import dev.lookout.agent.bootstrap.BodyHooks;
import dev.lookout.agent.redact.Redactor;
import io.opentelemetry.api.common.AttributeKey;
import dev.lookout.agent.record.SpanRecord;
import java.nio.ByteBuffer;

/**
 * {@code lookout.capture.bodies}: tees the first {@code lookout.capture.body.max} bytes of each
 * request and response body as the application reads and writes them (on the threads where the
 * request is current), and records them, redacted, as {@code lookout.body.request} and
 * {@code lookout.body.response} when the request ends, with the full sizes in
 * {@code lookout.body.request.size} and {@code lookout.body.response.size}.
 */
public final class BodyCapture extends BodyHooks implements RequestObserver {

  static final AttributeKey<String> REQUEST_BODY = AttributeKey.stringKey(SpanAttributes.REQUEST_BODY);
  static final AttributeKey<String> RESPONSE_BODY = AttributeKey.stringKey(SpanAttributes.RESPONSE_BODY);
  static final AttributeKey<Long> REQUEST_SIZE = AttributeKey.longKey(SpanAttributes.REQUEST_BODY_SIZE);
  static final AttributeKey<Long> RESPONSE_SIZE = AttributeKey.longKey(SpanAttributes.RESPONSE_BODY_SIZE);

  private final int cap;
  private final Redactor redactor;

  public BodyCapture(long cap, Redactor redactor) {
    this.cap = (int) Math.max(0, Math.min(cap, 1 << 20));
    this.redactor = redactor;
  }

  @Override
  public void started(SpanRecord record) {
    RequestBodies bodies = new RequestBodies(cap);
    RequestHandle h = RequestThread.currentRequest();
    if (h != null) {
      h.bodies = bodies;
    }
    record.bodies = bodies;
  }

  @Override
  public void ending(SpanRecord record) {
    if (!(record.bodies instanceof RequestBodies)) {
      return;
    }
    RequestBodies bodies = (RequestBodies) record.bodies;
    try {
      record(record, bodies.request, bodies.requestType, REQUEST_BODY, REQUEST_SIZE);
      record(record, bodies.response, bodies.responseType, RESPONSE_BODY, RESPONSE_SIZE);
    } catch (Throwable t) {
      // a body that cannot be rendered is left out; the span must still end
    }
  }

  private void record(SpanRecord record, BodyTee tee, String contentType, AttributeKey<String> body,
      AttributeKey<Long> size) {
    String text = BodyText.render(tee, contentType, redactor);
    if (text != null) {
      record.put(body, text);
      record.put(size, tee.total());
    }
  }

  private static RequestBodies current() {
    RequestHandle h = RequestThread.currentRequest();
    return h == null ? null : h.bodies;
  }

  @Override
  protected Object requestTee() {
    RequestBodies b = current();
    return b == null ? null : b.request.enter();
  }

  @Override
  protected Object responseTee(Object writer) {
    RequestBodies b = current();
    if (b == null || (writer != null && writer != b.writer)) {
      return null;
    }
    return b.response.enter();
  }

  @Override
  protected void onByte(Object tee, int value) {
    BodyTee t = (BodyTee) tee;
    try {
      if (value >= 0) {
        t.add(value);
      }
    } finally {
      t.leave();
    }
  }

  @Override
  protected void onBytes(Object tee, byte[] bytes, int offset, int count) {
    BodyTee t = (BodyTee) tee;
    try {
      t.add(bytes, offset, count);
    } finally {
      t.leave();
    }
  }

  @Override
  protected void onBuffer(Object tee, ByteBuffer buffer, int from, boolean ok) {
    BodyTee t = (BodyTee) tee;
    try {
      if (ok) {
        t.add(buffer, from);
      }
    } finally {
      t.leave();
    }
  }

  @Override
  protected void onChars(Object tee, CharSequence text, char[] chars, int offset, int count) {
    BodyTee t = (BodyTee) tee;
    try {
      t.add(text, chars, offset, count);
    } finally {
      t.leave();
    }
  }

  @Override
  protected void onChar(Object tee, int value, boolean ok) {
    BodyTee t = (BodyTee) tee;
    try {
      if (ok) {
        t.addChar(value);
      }
    } finally {
      t.leave();
    }
  }

  @Override
  protected void onResponseWriter(Object writer) {
    RequestBodies b = current();
    if (b != null) {
      b.writer = writer;
    }
  }

  @Override
  protected void onContentTypes(Object handle, String requestType, String responseType) {
    if (handle instanceof RequestHandle) {
      RequestBodies b = ((RequestHandle) handle).bodies;
      if (b != null) {
        b.requestType = requestType;
        b.responseType = responseType;
      }
    }
  }
}
