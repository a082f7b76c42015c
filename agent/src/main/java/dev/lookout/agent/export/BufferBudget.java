package dev.lookout.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the agent holds for the collector, spans and log records together: at most
 * {@code lookout.buffer.max} records (SPEC) and {@code lookout.buffer.bytes} of them. A record is
 * counted from the moment it ends until its export is answered, and one over either bound is
 * dropped (counted as {@code lookout.agent.buffer.dropped}) before it is queued.
 *
 * <p>Why bytes too: a record's size varies a hundredfold. Requests that throw carry their stack
 * traces, and while the collector was behind, the queues held ~100 MB of them on the bench app's
 * exception endpoint; they lived long enough to be promoted and G1 grew the heap for them.
 *
 * <p>A record is turned into its immutable export form when it ends rather than when its batch is
 * exported: the same work, done once either way, and it is what tells the record's size (a span's
 * events are not readable before). A span's fields are then copied out ({@link QueuedSpan}), so
 * that what waits in the queue is the compact data (attributes in one array), not the live span
 * with its hash map and lock. The batch processors behind this are given room for the whole count, so they never
 * drop a record this budget took (which would then never be given back).
 */
final class BufferBudget {

  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("signal");
  static final String DROPPED = "lookout.agent.buffer.dropped";
  private static final long SMALL_RECORD = 2048;

  private final long maxRecords;
  private final long maxBytes;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final LongCounter dropped;

  BufferBudget(long maxRecords, long maxBytes, Meter meter) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.dropped = meter.counterBuilder(DROPPED).setUnit("{record}")
        .setDescription("Records dropped because the agent's buffer toward the collector was full").build();
  }

  /** Takes room for one record of {@code size} bytes, or answers false when either bound is reached. */
  boolean take(long size) {
    if (records.incrementAndGet() > maxRecords) {
      records.decrementAndGet();
      return false;
    }
    if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      records.decrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Full for any record: no room for one more, or for a small one (a plain span is ~2 KB). Checked
   * before a record is converted, so that a full buffer costs a dropped record nothing more.
   */
  private boolean full() {
    return records.get() >= maxRecords || bytes.get() > maxBytes - SMALL_RECORD;
  }

  void give(long count, long size) {
    records.addAndGet(-count);
    bytes.addAndGet(-size);
  }

  long records() {
    return records.get();
  }

  long bytes() {
    return bytes.get();
  }

  // ---- spans ----

  SpanProcessor spans(SpanProcessor next) {
    Attributes signal = Attributes.of(SIGNAL, "traces");
    return new ForwardingSpanProcessor(next) {
      @Override
      public void onEnd(ReadableSpan span) {
        if (!span.getSpanContext().isSampled()) {
          return;
        }
        if (full()) {
          dropped.add(1, signal); // not even worth converting
          return;
        }
        SpanData data = span.toSpanData();
        long size = size(data);
        if (take(size)) {
          next.onEnd(new QueuedSpan(data, size));
        } else {
          dropped.add(1, signal);
        }
      }
    };
  }

  /** Gives the room of each exported batch back once its export is answered, whatever the answer. */
  SpanExporter spans(SpanExporter exporter) {
    return WatchedExporters.spans(exporter, (batch, answer) -> {
      long size = 0;
      for (SpanData s : batch) {
        size += s instanceof QueuedSpan ? ((QueuedSpan) s).size : 0;
      }
      giveBackWhenAnswered(answer, batch.size(), size);
    });
  }

  private void giveBackWhenAnswered(CompletableResultCode answer, int count, long size) {
    answer.whenComplete(() -> give(count, size));
  }

  /** A rough heap size: strings at a byte a character plus their headers, numbers at 8. */
  static long size(SpanData span) {
    long n = 320 + span.getName().length() + size(span.getAttributes());
    for (EventData e : span.getEvents()) {
      n += 64 + e.getName().length() + size(e.getAttributes());
    }
    return n;
  }

  static long size(Attributes attributes) {
    long[] n = {0};
    attributes.forEach((k, v) -> n[0] += 64 + k.getKey().length() + valueSize(v));
    return n[0];
  }

  private static long valueSize(Object v) {
    if (v instanceof String) {
      return 48 + ((String) v).length();
    }
    if (v instanceof List) {
      long n = 32;
      for (Object item : (List<?>) v) {
        n += 8 + valueSize(item);
      }
      return n;
    }
    return 16;
  }

  /**
   * An ended span as it waits in the queue: the fields of its export form, copied, so that the
   * live span (its attribute hash map, lock and builder state, which the SDK's export form keeps a
   * reference to) can be collected at once. It is its own {@link SpanData}, with the size it was
   * counted at.
   */
  static final class QueuedSpan implements ReadableSpan, SpanData {
    final long size;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final SpanContext context;
    private final SpanContext parent;
    private final String name;
    private final SpanKind kind;
    private final long start;
    private final long end;
    private final Attributes attributes;
    private final int totalAttributes;
    private final List<EventData> events;
    private final int totalEvents;
    private final List<LinkData> links;
    private final int totalLinks;
    private final StatusData status;

    QueuedSpan(SpanData data, long size) {
      this.size = size;
      this.resource = data.getResource();
      this.scope = data.getInstrumentationScopeInfo();
      this.context = data.getSpanContext();
      this.parent = data.getParentSpanContext();
      this.name = data.getName();
      this.kind = data.getKind();
      this.start = data.getStartEpochNanos();
      this.end = data.getEndEpochNanos();
      this.attributes = data.getAttributes();
      this.totalAttributes = data.getTotalAttributeCount();
      this.events = data.getEvents();
      this.totalEvents = data.getTotalRecordedEvents();
      this.links = data.getLinks();
      this.totalLinks = data.getTotalRecordedLinks();
      this.status = data.getStatus();
    }

    @Override
    public SpanData toSpanData() {
      return this;
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
    public long getLatencyNanos() {
      return end - start;
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
    public <T> T getAttribute(AttributeKey<T> key) {
      return attributes.get(key);
    }

    @Override
    public int getTotalAttributeCount() {
      return totalAttributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public int getTotalRecordedEvents() {
      return totalEvents;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public int getTotalRecordedLinks() {
      return totalLinks;
    }

    @Override
    public Resource getResource() {
      return resource;
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return scope;
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion(), scope.getSchemaUrl());
    }
  }

  // ---- log records ----

  LogRecordProcessor logs(LogRecordProcessor next) {
    Attributes signal = Attributes.of(SIGNAL, "logs");
    return new LogRecordProcessor() {
      @Override
      public void onEmit(Context context, ReadWriteLogRecord record) {
        if (full()) {
          dropped.add(1, signal);
          return;
        }
        LogRecordData data = record.toLogRecordData();
        long size = 256 + size(data.getAttributes()) + (data.getBodyValue() == null ? 0
            : data.getBodyValue().asString().length());
        if (take(size)) {
          next.onEmit(context, new EmittedLog(new SizedLog(data, size)));
        } else {
          dropped.add(1, signal);
        }
      }

      @Override
      public CompletableResultCode shutdown() {
        return next.shutdown();
      }

      @Override
      public CompletableResultCode forceFlush() {
        return next.forceFlush();
      }
    };
  }

  LogRecordExporter logs(LogRecordExporter exporter) {
    return WatchedExporters.logs(exporter, (batch, answer) -> {
      long size = 0;
      for (LogRecordData l : batch) {
        size += l instanceof SizedLog ? ((SizedLog) l).size : 0;
      }
      giveBackWhenAnswered(answer, batch.size(), size);
    });
  }

  /** An emitted record as the batch processor sees it: its export form, made already. */
  private static final class EmittedLog implements ReadWriteLogRecord {
    private final LogRecordData data;

    EmittedLog(LogRecordData data) {
      this.data = data;
    }

    @Override
    public <T> ReadWriteLogRecord setAttribute(AttributeKey<T> key, T value) {
      return this; // emitted: nothing changes it any more
    }

    @Override
    public LogRecordData toLogRecordData() {
      return data;
    }
  }

  /** The export form of a log record, with the size it was counted at. */
  static final class SizedLog implements LogRecordData {
    private final LogRecordData data;
    final long size;

    SizedLog(LogRecordData data, long size) {
      this.data = data;
      this.size = size;
    }

    @Override
    public Resource getResource() {
      return data.getResource();
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return data.getInstrumentationScopeInfo();
    }

    @Override
    public long getTimestampEpochNanos() {
      return data.getTimestampEpochNanos();
    }

    @Override
    public long getObservedTimestampEpochNanos() {
      return data.getObservedTimestampEpochNanos();
    }

    @Override
    public SpanContext getSpanContext() {
      return data.getSpanContext();
    }

    @Override
    public io.opentelemetry.api.logs.Severity getSeverity() {
      return data.getSeverity();
    }

    @Override
    public String getSeverityText() {
      return data.getSeverityText();
    }

    @Override
    @SuppressWarnings("deprecation")
    public io.opentelemetry.sdk.logs.data.Body getBody() {
      return data.getBody();
    }

    @Override
    public io.opentelemetry.api.common.Value<?> getBodyValue() {
      return data.getBodyValue();
    }

    @Override
    public Attributes getAttributes() {
      return data.getAttributes();
    }

    @Override
    public int getTotalAttributeCount() {
      return data.getTotalAttributeCount();
    }

    @Override
    public String getEventName() {
      return data.getEventName();
    }
  }
}
