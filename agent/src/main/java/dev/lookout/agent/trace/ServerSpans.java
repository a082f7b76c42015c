package dev.lookout.agent.trace;

import dev.lookout.agent.bootstrap.ServletHooks;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Collections;

/** One SERVER span per servlet request, current on the request thread while it runs. */
public final class ServerSpans extends ServletHooks {

  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** A lone traceparent header, the only carrier the advice hands over. */
  private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return Collections.singletonList("traceparent");
    }

    @Override
    public String get(String carrier, String key) {
      return "traceparent".equals(key) ? carrier : null;
    }
  };

  private final Tracer tracer;
  private final RequestObserver[] observers;

  public ServerSpans(Tracer tracer, RequestObserver... observers) {
    this.tracer = tracer;
    this.observers = observers.clone();
  }

  /** What {@link #start} hands to the advice and gets back in {@link #end}. */
  static final class Handle {
    final Span span;
    final Scope scope;
    final Object[] observerStates;

    Handle(Span span, Scope scope, Object[] observerStates) {
      this.span = span;
      this.scope = scope;
      this.observerStates = observerStates;
    }
  }

  @Override
  protected Object start(String method, String scheme, String serverName, int serverPort, String uri,
      String query, String clientAddress, String traceparent, String userAgent) {
    Context parent = traceparent == null
        ? Context.root()
        : W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    Span span = tracer.spanBuilder(method)
        .setSpanKind(SpanKind.SERVER)
        .setParent(parent)
        .setAttribute(METHOD, method)
        .setAttribute(PATH, uri)
        .setAttribute(SCHEME, scheme)
        .setAttribute(SERVER_ADDRESS, serverName)
        .setAttribute(SERVER_PORT, (long) serverPort)
        .setAttribute(CLIENT_ADDRESS, clientAddress)
        .startSpan();
    if (query != null) {
      span.setAttribute(QUERY, query);
    }
    if (userAgent != null) {
      span.setAttribute(USER_AGENT, userAgent);
    }
    Scope scope = parent.with(span).makeCurrent();
    Object[] states = new Object[observers.length];
    for (int i = 0; i < observers.length; i++) {
      states[i] = observers[i].started(span);
    }
    return new Handle(span, scope, states);
  }

  @Override
  protected void end(Object handle, int status, Throwable thrown) {
    Handle h = (Handle) handle;
    try {
      // An exception escaping the servlet becomes a 500 even if the status was not set yet.
      int effective = thrown != null && status < 400 ? 500 : status;
      h.span.setAttribute(STATUS, (long) effective);
      if (thrown != null) {
        h.span.recordException(thrown);
        h.span.setAttribute(ERROR_TYPE, thrown.getClass().getName());
      } else if (effective >= 500) {
        h.span.setAttribute(ERROR_TYPE, Integer.toString(effective));
      }
      if (effective >= 500) {
        h.span.setStatus(StatusCode.ERROR);
      }
      for (int i = 0; i < observers.length; i++) {
        observers[i].ending(h.observerStates[i], h.span);
      }
      h.span.end();
    } finally {
      h.scope.close();
    }
  }
}
