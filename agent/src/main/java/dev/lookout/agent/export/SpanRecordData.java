package dev.lookout.agent.export;

import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.record.TraceIds;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.trace.ExceptionEvents;
import dev.lookout.agent.trace.HeaderCapture;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link SpanRecord} in the form the OpenTelemetry exporter encodes, made on the export thread:
 * every field copied out (so the record goes back to its pool at once), the query, headers and
 * exception text redacted on the way. Figures that say nothing (zero counts, no socket I/O) are left
 * out; the collector reads their absence as zero.
 */
final class SpanRecordData implements SpanData {

  /** What the export thread needs to turn records into span data. */
  static final class Encoder {
    final Resource resource;
    final InstrumentationScopeInfo scope;
    final Redactor redactor;
    final HeaderCapture requestHeaders;
    final HeaderCapture responseHeaders;

    Encoder(Resource resource, InstrumentationScopeInfo scope, Redactor redactor) {
      this.resource = resource;
      this.scope = scope;
      this.redactor = redactor;
      this.requestHeaders = new HeaderCapture("http.request.header.", redactor);
      this.responseHeaders = new HeaderCapture("http.response.header.", redactor);
    }
  }

  private final Encoder encoder;
  private final String name;
  private final SpanKind kind;
  private final SpanContext context;
  private final SpanContext parent;
  private final long start;
  private final long end;
  private final StatusData status;
  private final Attributes attributes;
  private final List<EventData> events;

  SpanRecordData(Encoder encoder, SpanRecord r) {
    this.encoder = encoder;
    boolean server = r.kind == SpanRecord.KIND_SERVER;
    this.kind = server ? SpanKind.SERVER : SpanKind.INTERNAL;
    this.name = !server ? r.name : r.route != null ? r.method + " " + r.route : r.method;
    String traceId = TraceIds.traceIdHex(r.traceIdHigh, r.traceIdLow);
    this.context = SpanContext.create(traceId, TraceIds.spanIdHex(r.spanId), TraceFlags.getSampled(),
        TraceState.getDefault());
    if (r.parentSpanId == 0) {
      this.parent = SpanContext.getInvalid();
    } else if (r.parentRemote) {
      this.parent = SpanContext.createFromRemoteParent(traceId, TraceIds.spanIdHex(r.parentSpanId),
          TraceFlags.getSampled(), TraceState.getDefault());
    } else {
      this.parent = SpanContext.create(traceId, TraceIds.spanIdHex(r.parentSpanId), TraceFlags.getSampled(),
          TraceState.getDefault());
    }
    this.start = r.startEpochNanos;
    this.end = Math.max(r.endEpochNanos, r.startEpochNanos);
    this.status = server && r.status >= 500 ? StatusData.error() : StatusData.unset();
    this.attributes = attributes(encoder, r, server);
    this.events = events(encoder, r);
  }

  private static Attributes attributes(Encoder encoder, SpanRecord r, boolean server) {
    AttributesBuilder a = Attributes.builder();
    if (server) {
      a.put(SpanKeys.METHOD, r.method)
          .put(SpanKeys.PATH, r.path)
          .put(SpanKeys.SCHEME, r.scheme)
          .put(SpanKeys.SERVER_ADDRESS, r.serverAddress)
          .put(SpanKeys.SERVER_PORT, (long) r.serverPort)
          .put(SpanKeys.CLIENT_ADDRESS, r.clientAddress);
      if (r.query != null) {
        a.put(SpanKeys.QUERY, encoder.redactor.query(r.query));
      }
      if (r.userAgent != null) {
        a.put(SpanKeys.USER_AGENT, r.userAgent);
      }
      if (r.route != null) {
        a.put(SpanKeys.ROUTE, r.route);
      }
      if (r.requestHeaders != null) {
        encoder.requestHeaders.addTo(a, r.requestHeaders);
      }
      if (r.responseHeaders != null) {
        encoder.responseHeaders.addTo(a, r.responseHeaders);
      }
      a.put(SpanKeys.STATUS, (long) r.status);
      if (r.errorType != null) {
        a.put(SpanKeys.ERROR_TYPE, r.errorType);
      }
      if (r.logCount > 0) {
        a.put(SpanKeys.LOG_COUNT, (long) r.logCount);
      }
      if (r.exceptionCount > 0) {
        a.put(SpanKeys.EXCEPTION_COUNT, (long) r.exceptionCount);
      }
    }
    if (r.ioVerdict != null) {
      a.put(SpanKeys.ZERO_COPY_BYTES, r.zeroCopyBytes)
          .put(SpanKeys.COPIED_BYTES, r.copiedBytes)
          .put(SpanKeys.VERDICT, r.ioVerdict);
    }
    if (r.socketCalls > 0) {
      a.put(SpanKeys.SOCKET_IN, r.socketIn)
          .put(SpanKeys.SOCKET_OUT, r.socketOut)
          .put(SpanKeys.SOCKET_CALLS, r.socketCalls)
          .put(SpanKeys.SOCKET_NANOS, r.socketNanos);
    }
    a.putAll(r.extra());
    return a.build();
  }

  private static List<EventData> events(Encoder encoder, SpanRecord r) {
    List<SpanRecord.EventRecord> recorded = r.events();
    if (recorded.isEmpty()) {
      return Collections.emptyList();
    }
    List<EventData> events = new ArrayList<>(recorded.size());
    for (SpanRecord.EventRecord e : recorded) {
      Attributes attributes = e.attributes;
      if (e.thrown != null) {
        attributes = ExceptionEvents.addTo(Attributes.builder(), e.thrown, encoder.redactor).putAll(attributes).build();
      }
      events.add(EventData.create(e.epochNanos, e.name, attributes));
    }
    return events;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return start;
  }

  @Override
  public long getEndEpochNanos() {
    return end;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }

  @Override
  public List<EventData> getEvents() {
    return events;
  }

  @Override
  public int getTotalRecordedEvents() {
    return events.size();
  }

  @Override
  public List<LinkData> getLinks() {
    return Collections.emptyList();
  }

  @Override
  public int getTotalRecordedLinks() {
    return 0;
  }

  @Override
  public Resource getResource() {
    return encoder.resource;
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return encoder.scope;
  }

  @Override
  @SuppressWarnings("deprecation")
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(encoder.scope.getName(), encoder.scope.getVersion(),
        encoder.scope.getSchemaUrl());
  }

  @Override
  public String toString() {
    return "SpanRecordData{" + name + ", " + context + ", " + attributes + "}";
  }
}
