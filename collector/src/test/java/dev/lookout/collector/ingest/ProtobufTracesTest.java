package dev.lookout.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reading protobuf spans off the wire must give exactly the rows that parsing the message and
 * mapping it gives: the same requests, exceptions and I/O rows, and the same rejections.
 */
class ProtobufTracesTest {

  private static final String[] KEYS = {"http.request.method", "http.method", "url.path", "http.target", "url.query",
      "http.route", "http.response.status_code", "http.status_code", "client.address", "net.sock.peer.addr",
      "net.peer.ip", "lookout.log_count", "lookout.exception_count", "user_agent.original", "server.port", "x\"quoted\\",
      "lookout.io.socket.calls", "lookout.io.socket.bytes_in", "lookout.io.socket.bytes_out", "lookout.io.socket.nanos"};

  @Test
  void randomExportsGiveTheSameRowsEitherWay() throws Exception {
    Random random = new Random(20261123);
    for (int round = 0; round < 300; round++) {
      ExportTraceServiceRequest export = randomExport(random);
      assertSameRows(export.toByteArray(), "round " + round);
    }
  }

  /**
   * The reader guesses each key from the one before it (the agent keeps its order); spans that change
   * the order, repeat keys, use keys of the same length and a shared prefix, or use more keys than
   * the key cache holds must still give the rows the parser gives.
   */
  @Test
  void keysInChangingOrderAndBeyondTheCacheGiveTheSameRows() throws Exception {
    Random random = new Random(20261206);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < 60; i++) {
      Span.Builder span = serverSpan(random).toBuilder().clearAttributes();
      String[] keys = KEYS.clone();
      if (i % 3 != 0) {
        java.util.Collections.shuffle(Arrays.asList(keys), random);
      }
      for (String key : keys) {
        span.addAttributes(i % 2 == 0 ? text(key, "v" + random.nextInt(5)) : number(key, random.nextInt(600)));
      }
      span.addAttributes(text("http.request.method", i % 4 == 0 ? "POST" : "GET"));
      for (int k = 0; k < (i % 5 == 4 ? 300 : 2); k++) {
        span.addAttributes(text("extra." + (i * 7 + k), "x"));
      }
      span.addAttributes(number("lookout.io.socket.calls", i));
      scope.addSpans(span);
    }
    ExportTraceServiceRequest export = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(text("service.name", "order")))
            .addScopeSpans(scope))
        .build();
    TraceMapper.Result read = assertSameRows(export.toByteArray(), "changing key order");
    assertThat(read.requests()).hasSize(60);
  }

  /**
   * Every attribute a mapper reads by its resolved key (all the liftable ones and the older
   * fallback names), with values of each type, text with NUL and non-ASCII characters, numbers sent
   * as text, and keys repeated with another type: the rows (lifted columns and attribute JSON
   * included) must be the parser's.
   */
  @Test
  void resolvedKeysWithEveryKindOfValueGiveTheSameRows() throws Exception {
    String[] keys = {"http.request.method", "url.path", "url.scheme", "server.address", "server.port",
        "client.address", "url.query", "user_agent.original", "http.route", "http.response.status_code", "error.type",
        "lookout.log_count", "lookout.exception_count", "lookout.io.zero_copy_bytes", "lookout.io.copied_bytes",
        "lookout.io.verdict", "lookout.io.socket.bytes_in", "lookout.io.socket.bytes_out", "lookout.io.socket.calls",
        "lookout.io.socket.nanos", "http.method", "http.target", "http.status_code", "net.sock.peer.addr",
        "net.peer.ip", "other.key"};
    String[] texts = {"GET", "/a/b?x=1", "https", "h\u00e9st", "n\0ul", "\0", " 42 ", "42\0", "7", "", "\u2603/\u00e9?q"};
    Random random = new Random(20261206L * 6);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < 400; i++) {
      Span.Builder span = serverSpan(random).toBuilder().clearAttributes();
      for (int a = random.nextInt(30); a > 0; a--) {
        String key = keys[random.nextInt(keys.length)];
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (random.nextInt(6)) {
          case 0, 1 -> v.setIntValue(random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(600));
          case 2, 3 -> v.setStringValue(texts[random.nextInt(texts.length)]);
          case 4 -> v.setBoolValue(random.nextBoolean());
          default -> v.setDoubleValue(random.nextInt(3) == 0 ? Double.POSITIVE_INFINITY : random.nextDouble());
        }
        span.addAttributes(KeyValue.newBuilder().setKey(key).setValue(v));
      }
      if (random.nextBoolean()) {
        span.addAttributes(text(random.nextBoolean() ? "http.request.method" : "http.method", "PUT"));
      }
      if (random.nextInt(4) == 0) {
        span.setName("n\u00e9\0" + i);
      }
      scope.addSpans(span);
    }
    ExportTraceServiceRequest export = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(text("service.name", "s\0rv\u00e9")))
            .addScopeSpans(scope))
        .build();
    TraceMapper.Result read = assertSameRows(export.toByteArray(), "resolved keys");
    assertThat(read.requests()).hasSizeGreaterThan(100);
    assertThat(read.requests()).anySatisfy(r -> assertThat(r.columns().lifted()).isNotZero());
    assertThat(read.io()).isNotEmpty();
  }

  /** A KeyValue whose value comes before its key on the wire is still that key's value. */
  @Test
  void aValueBeforeItsKeyOnTheWireCounts() throws Exception {
    ByteArrayOutputStream kv = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(kv);
    out.writeMessage(KeyValue.VALUE_FIELD_NUMBER, AnyValue.newBuilder().setIntValue(503).build());
    out.writeString(KeyValue.KEY_FIELD_NUMBER, "http.response.status_code");
    out.flush();
    Span span = serverSpan(new Random(8)).toBuilder().clearAttributes()
        .addAttributes(text("http.request.method", "GET")).build();
    // a message's fields may come in any order: the attribute is appended to the encoded span
    ByteArrayOutputStream spanBytes = new ByteArrayOutputStream();
    CodedOutputStream spanOut = CodedOutputStream.newInstance(spanBytes);
    spanOut.writeRawBytes(span.toByteArray());
    spanOut.writeByteArray(Span.ATTRIBUTES_FIELD_NUMBER, kv.toByteArray());
    spanOut.flush();
    ByteArrayOutputStream scope = new ByteArrayOutputStream();
    CodedOutputStream scopeOut = CodedOutputStream.newInstance(scope);
    scopeOut.writeByteArray(ScopeSpans.SPANS_FIELD_NUMBER, spanBytes.toByteArray());
    scopeOut.flush();
    ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
    CodedOutputStream rsOut = CodedOutputStream.newInstance(resourceSpans);
    rsOut.writeByteArray(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, scope.toByteArray());
    rsOut.flush();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    CodedOutputStream bodyOut = CodedOutputStream.newInstance(body);
    bodyOut.writeByteArray(ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER, resourceSpans.toByteArray());
    bodyOut.flush();
    TraceMapper.Result read = assertSameRows(body.toByteArray(), "value first");
    assertThat(read.requests()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(503));
  }

  @Test
  void aResourceAfterItsSpansStillNamesTheService() throws Exception {
    ScopeSpans scope = ScopeSpans.newBuilder()
        .addSpans(serverSpan(new Random(1)).toBuilder().addAttributes(text("http.request.method", "GET"))).build();
    Resource resource = Resource.newBuilder().addAttributes(text("service.name", "late-resource")).build();
    ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(resourceSpans);
    out.writeMessage(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER, scope);
    out.writeMessage(ResourceSpans.RESOURCE_FIELD_NUMBER, resource);
    out.flush();
    ByteArrayOutputStream export = new ByteArrayOutputStream();
    CodedOutputStream outer = CodedOutputStream.newInstance(export);
    outer.writeByteArray(ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER, resourceSpans.toByteArray());
    outer.flush();

    TraceMapper.Result read = assertSameRows(export.toByteArray(), "resource last");
    assertThat(read.requests()).singleElement().satisfies(r -> assertThat(r.service()).isEqualTo("late-resource"));
  }

  @Test
  void socketAttributesMakeTheSocketRowUnlessAnEventGaveIt() throws Exception {
    Span span = serverSpan(new Random(3)).toBuilder().clearAttributes()
        .addAttributes(text("http.request.method", "GET")).addAttributes(text("url.path", "/plain"))
        .addAttributes(number("lookout.io.socket.calls", 3)).addAttributes(number("lookout.io.socket.bytes_in", 100))
        .addAttributes(number("lookout.io.socket.bytes_out", 200)).addAttributes(number("lookout.io.socket.nanos", 9000))
        .build();
    TraceMapper.Result read = assertSameRows(export(span), "socket attributes");
    assertThat(read.io()).singleElement().satisfies(io -> {
      assertThat(io.kind()).isEqualTo("socket");
      assertThat(io.path()).isEqualTo("/plain");
      assertThat(io.callSite()).isEqualTo("-");
      assertThat(io.calls()).isEqualTo(3);
      assertThat(io.bytes()).isEqualTo(300);
      assertThat(io.nanos()).isEqualTo(9000);
      assertThat(io.verdict()).isEqualTo("none");
      assertThat(io.mechanism()).isEqualTo("user-copy");
      assertThat(io.time()).isEqualTo(span.getEndTimeUnixNano() / 1_000_000);
      assertThat(io.traceId()).isEqualTo(Attributes.hex(span.getTraceId()));
    });

    // an agent that also sends the socket event (older ones; TLS traffic): the event's row alone
    Span withEvent = span.toBuilder().addEvents(Span.Event.newBuilder().setName("lookout.io")
        .addAttributes(text("kind", "socket")).addAttributes(number("calls", 3)).addAttributes(number("bytes", 300))
        .addAttributes(text("verdict", "tls-blocked"))).build();
    assertThat(assertSameRows(export(withEvent), "socket event").io()).singleElement()
        .satisfies(io -> assertThat(io.verdict()).isEqualTo("tls-blocked"));

    Span noSocket = span.toBuilder().clearAttributes().addAttributes(text("http.request.method", "GET")).build();
    assertThat(assertSameRows(export(noSocket), "no socket I/O").io()).isEmpty();
  }

  @Test
  void socketRowsOfAnExportAreSummedPerServicePathAndSecond() throws Exception {
    Span one = serverSpan(new Random(4)).toBuilder().clearAttributes()
        .setStartTimeUnixNano(1_700_000_000_000_000_000L).setEndTimeUnixNano(1_700_000_000_100_000_000L)
        .addAttributes(text("http.request.method", "GET")).addAttributes(text("http.route", "/items/{id}"))
        .addAttributes(number("lookout.io.socket.calls", 2)).addAttributes(number("lookout.io.socket.bytes_in", 10))
        .addAttributes(number("lookout.io.socket.bytes_out", 90)).addAttributes(number("lookout.io.socket.nanos", 500))
        .build();
    Span sameSecond = one.toBuilder().setTraceId(bytes(new Random(5), 16))
        .setEndTimeUnixNano(1_700_000_000_900_000_000L).build();
    Span nextSecond = one.toBuilder().setTraceId(bytes(new Random(6), 16))
        .setEndTimeUnixNano(1_700_000_001_200_000_000L).build();
    Span otherRoute = one.toBuilder().setTraceId(bytes(new Random(7), 16)).setAttributes(1, text("http.route", "/x"))
        .build();
    byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(one).addSpans(sameSecond).addSpans(nextSecond)
            .addSpans(otherRoute))).build().toByteArray();
    TraceMapper.Result read = assertSameRows(body, "summed");
    assertThat(read.requests()).hasSize(4);
    assertThat(read.io()).hasSize(3);
    assertThat(read.io().get(0)).satisfies(io -> {
      assertThat(io.path()).isEqualTo("/items/{id}");
      assertThat(io.units()).isEqualTo(2);
      assertThat(io.calls()).isEqualTo(4);
      assertThat(io.bytes()).isEqualTo(200);
      assertThat(io.nanos()).isEqualTo(1000);
      assertThat(io.traceId()).as("a sum of requests names none of them").isNull();
    });
    assertThat(read.io().get(1)).satisfies(io -> {
      assertThat(io.units()).isEqualTo(1);
      assertThat(io.traceId()).isEqualTo(Attributes.hex(nextSecond.getTraceId()));
    });
    assertThat(read.io().get(2).path()).isEqualTo("/x");
  }

  @Test
  void malformedBodiesAreRefusedLikeTheParserRefusesThem() {
    byte[] whole = randomExport(new Random(7)).toByteArray();
    byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
    assertThatThrownBy(() -> ProtobufTraces.read(truncated)).isInstanceOf(InvalidProtocolBufferException.class);

    // a key that is not UTF-8: written as "@@" and then changed on the wire
    Span span = serverSpan(new Random(2)).toBuilder().addAttributes(text("@@", "x")).build();
    byte[] badKey = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
    for (int i = 0; i + 1 < badKey.length; i++) {
      if (badKey[i] == '@' && badKey[i + 1] == '@') {
        badKey[i] = (byte) 0xc3;
        badKey[i + 1] = 0x28;
      }
    }
    assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(badKey)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThatThrownBy(() -> ProtobufTraces.read(badKey)).isInstanceOf(InvalidProtocolBufferException.class);
  }

  private static TraceMapper.Result assertSameRows(byte[] body, String what) throws Exception {
    TraceMapper.Result expected = TraceMapper.map(ExportTraceServiceRequest.parseFrom(body));
    TraceMapper.Result read = ProtobufTraces.read(body);
    assertThat(read.requests()).as(what).isEqualTo(expected.requests());
    assertThat(read.exceptions()).as(what).isEqualTo(expected.exceptions());
    assertThat(read.io()).as(what).isEqualTo(expected.io());
    assertThat(read.rejected()).as(what).isEqualTo(expected.rejected());
    assertThat(read.rejectReason()).as(what).isEqualTo(expected.rejectReason());
    return read;
  }

  private static byte[] export(Span span) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
  }

  private static KeyValue number(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  private static ExportTraceServiceRequest randomExport(Random random) {
    ExportTraceServiceRequest.Builder export = ExportTraceServiceRequest.newBuilder();
    for (int r = random.nextInt(3) + 1; r > 0; r--) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
      if (random.nextInt(5) > 0) {
        Resource.Builder resource = Resource.newBuilder().addAttributes(text("telemetry.sdk.language", "java"));
        switch (random.nextInt(4)) {
          case 0 -> resource.addAttributes(text("service.name", "svc-" + random.nextInt(3)));
          case 1 -> resource.addAttributes(text("service.name", " "));
          case 2 -> resource.addAttributes(text("service.name", "first")).addAttributes(text("service.name", "last"));
          default -> { }
        }
        rs.setResource(resource);
      }
      for (int s = random.nextInt(3) + 1; s > 0; s--) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.test"));
        for (int n = random.nextInt(20); n > 0; n--) {
          scope.addSpans(random.nextInt(4) == 0 ? oddSpan(random) : serverSpan(random));
        }
        rs.addScopeSpans(scope);
      }
      export.addResourceSpans(rs);
    }
    return export.build();
  }

  private static Span serverSpan(Random random) {
    long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
    Span.Builder span = Span.newBuilder().setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8))
        .setParentSpanId(bytes(random, 8)).setName("GET /api/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(start).setEndTimeUnixNano(start + random.nextInt(2_000_000_000))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    for (int a = random.nextInt(14); a > 0; a--) {
      span.addAttributes(KeyValue.newBuilder().setKey(KEYS[random.nextInt(KEYS.length)]).setValue(value(random)));
    }
    return span.build();
  }

  /** Spans the reader must hand to the message path or reject: events, odd kinds, bad ids. */
  private static Span oddSpan(Random random) {
    Span.Builder span = serverSpan(random).toBuilder();
    switch (random.nextInt(5)) {
      case 0 -> span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(span.getEndTimeUnixNano())
          .addAttributes(text("exception.type", "java.lang.IllegalStateException"))
          .addAttributes(text("exception.message", "boom")).addAttributes(text("exception.stacktrace", "at x.y(Z.java:1)")));
      case 1 -> span.addEvents(Span.Event.newBuilder().setName("lookout.io").addAttributes(text("kind", "transferTo"))
          .addAttributes(KeyValue.newBuilder().setKey("bytes").setValue(AnyValue.newBuilder().setIntValue(4096)))
          .addAttributes(text("mechanism", "sendfile")).addAttributes(text("verdict", "zero-copy")));
      case 2 -> span.setKind(Span.SpanKind.SPAN_KIND_CLIENT);
      case 3 -> span.setTraceId(bytes(random, random.nextInt(2) * 8));
      default -> span.setSpanId(ByteString.EMPTY);
    }
    return span.build();
  }

  private static AnyValue value(Random random) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (random.nextInt(9)) {
      case 0 -> v.setIntValue(random.nextInt(600));
      case 1 -> v.setDoubleValue(random.nextInt(3) == 0 ? Double.NaN : random.nextDouble() * 100);
      case 2 -> v.setBoolValue(random.nextBoolean());
      case 3 -> v.setBytesValue(bytes(random, 4));
      case 4 -> v.setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a"))
          .addValues(AnyValue.newBuilder().setIntValue(2)));
      case 5 -> v.setKvlistValue(KeyValueList.newBuilder().addValues(text("k", "v")));
      case 6 -> { } // not set
      case 7 -> v.setStringValue(" " + random.nextInt(600) + " ");
      default -> v.setStringValue("/api/items/" + random.nextInt(1000) + (random.nextBoolean() ? "?page=2" : "")
          + "\u00e9\"\\\n");
    }
    return v.build();
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static ByteString bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }
}
