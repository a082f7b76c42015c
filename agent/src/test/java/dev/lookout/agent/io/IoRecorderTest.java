package dev.lookout.agent.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.protocol.IoEvent;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.support.Exported;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import example.app.OneThreadServer;
import io.opentelemetry.sdk.trace.data.EventData;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IoRecorderTest {

  /** The attributes of a {@code lookout.io} row, as the OTLP carries them. */
  private static final AttributeKey<String> E_CALL_SITE = AttributeKey.stringKey(IoEvent.CALL_SITE);
  private static final AttributeKey<String> E_KIND = AttributeKey.stringKey(IoEvent.KIND);
  private static final AttributeKey<Long> E_CALLS = AttributeKey.longKey(IoEvent.CALLS);
  private static final AttributeKey<Long> E_BYTES = AttributeKey.longKey(IoEvent.BYTES);
  private static final AttributeKey<Long> E_ZERO = AttributeKey.longKey(IoEvent.ZERO_COPY_BYTES);
  private static final AttributeKey<Long> E_COPIED = AttributeKey.longKey(IoEvent.COPIED_BYTES);
  private static final AttributeKey<String> E_VERDICT = AttributeKey.stringKey(IoEvent.VERDICT);
  private static final AttributeKey<String> E_REASON = AttributeKey.stringKey(IoEvent.REASON);
  private static final AttributeKey<String> E_TARGET = AttributeKey.stringKey(IoEvent.TARGET);

  private static long[] delta(long in, long out, long calls, long file, long tls) {
    long[] d = new long[IoHooks.SLOTS];
    d[IoHooks.IN] = in;
    d[IoHooks.OUT] = out;
    d[IoHooks.CALLS] = calls;
    d[IoHooks.FILE] = file;
    d[IoHooks.TLS] = tls;
    return d;
  }

  @Test
  void socketsAloneAreNoVerdictAndNothingIsCopied() {
    IoRecorder.Summary s = IoRecorder.summarize(new IoTally().drain(), delta(100, 200, 3, 0, 0));
    assertThat(s.verdict()).isEqualTo("none");
    assertThat(s.zeroCopyBytes() + s.copiedBytes()).isZero();
    assertThat(s.socketCalls).isEqualTo(3);
  }

  @Test
  void aSocketOnlySummaryIsTheSpansSocketFiguresAloneWithoutAnEvent() {
    SpanData span = applied(IoRecorder.summarize(new IoTally().drain(), delta(100, 200, 3, 0, 0)));
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_IN)).isEqualTo(100L);
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_OUT)).isEqualTo(200L);
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_CALLS)).isEqualTo(3L);
    assertThat(span.getAttributes().get(SpanKeys.VERDICT)).isNull();
    assertThat(span.getAttributes().get(SpanKeys.ZERO_COPY_BYTES)).isNull();
    // the collector makes the socket row from the attributes: no event, so no slow path on either side
    assertThat(span.getEvents()).isEmpty();
  }

  @Test
  void tlsSocketBytesAreTheirOwnRowAndThePlainRestStaysPlain() {
    long[] d = delta(100, 200, 3, 0, 150);
    d[IoHooks.TLS_SOCKET] = 180;
    d[IoHooks.TLS_CALLS] = 2;
    SpanData span = applied(IoRecorder.summarize(new IoTally().drain(), d));
    // both socket rows go as events: the collector makes no row of the attributes of a span with one
    assertThat(span.getEvents()).hasSize(2);
    assertThat(span.getEvents()).anySatisfy(e -> {
      assertThat(e.getAttributes().get(E_KIND)).isEqualTo("socket");
      assertThat(e.getAttributes().get(E_VERDICT)).isEqualTo("tls-blocked");
      assertThat(e.getAttributes().get(E_BYTES)).isEqualTo(180L);
      assertThat(e.getAttributes().get(E_CALLS)).isEqualTo(2L);
      assertThat(e.getAttributes().get(E_REASON)).startsWith("JSSE TLS");
    });
    assertThat(span.getEvents()).anySatisfy(e -> {
      assertThat(e.getAttributes().get(E_VERDICT)).isEqualTo("none");
      assertThat(e.getAttributes().get(E_BYTES)).isEqualTo(120L);
      assertThat(e.getAttributes().get(E_CALLS)).isEqualTo(1L);
    });
    assertThat(span.getAttributes().get(SpanKeys.SOCKET_OUT)).isEqualTo(200L);
  }

  @Test
  void aTransferSummaryCarriesItsVerdictAndEveryFigure() {
    IoTally t = new IoTally();
    IoTally.Row sent = new IoTally.Row("app.Files.send:7", "transferTo", "sendfile", "zero-copy",
        "moved by the kernel (sendfile)", "file", "socket");
    sent.calls = 1;
    sent.bytes = 32768;
    sent.zeroCopyBytes = 32768;
    t.add(sent);
    SpanData span = applied(IoRecorder.summarize(t.drain(), delta(0, 32768, 1, 0, 0)));
    assertThat(span.getAttributes().get(SpanKeys.VERDICT)).isEqualTo("zero-copy");
    assertThat(span.getAttributes().get(SpanKeys.ZERO_COPY_BYTES)).isEqualTo(32768L);
    assertThat(span.getAttributes().get(SpanKeys.COPIED_BYTES)).isEqualTo(0L);
    assertThat(span.getEvents()).anySatisfy(e -> {
      assertThat(e.getAttributes().get(E_KIND)).isEqualTo("transferTo");
      assertThat(e.getAttributes().get(E_CALL_SITE)).isEqualTo("app.Files.send:7");
      assertThat(e.getAttributes().get(E_ZERO)).isEqualTo(32768L);
      assertThat(e.getAttributes().get(E_REASON)).isEqualTo("moved by the kernel (sendfile)");
    });
  }

  /** The summary applied to a request's record, as the OTLP exporter receives it. */
  private static SpanData applied(IoRecorder.Summary summary) {
    Exported exported = new Exported();
    SpanRecord record = exported.sink.span();
    record.traceIdLow = 1;
    record.spanId = 1;
    record.method = "GET";
    summary.applyTo(record, exported.sink.epochNanos());
    exported.sink.submit(record);
    List<SpanData> out = exported.spans();
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  @Test
  void channelKinds() throws Exception {
    Path f = Files.createTempFile("io", ".bin");
    try (FileChannel ch = FileChannel.open(f)) {
      assertThat(IoRecorder.kindOf(ch)).isEqualTo("file");
    } finally {
      Files.delete(f);
    }
    Pipe p = Pipe.open();
    assertThat(IoRecorder.kindOf(p.sink())).isEqualTo("pipe");
    assertThat(IoRecorder.kindOf(new Object())).isEqualTo("other");
  }

  // ---- the bridge driven as the JDK advice drives it, one thread, reported by the flusher ----

  private Exported exported;
  private IoRecorder recorder;

  @BeforeEach
  void recorder() {
    exported = new Exported();
    recorder = new IoRecorder(60_000);
    IoHooks.install(recorder);
    recorder.attach(exported.sink, io.opentelemetry.api.metrics.MeterProvider.noop().get("io"));
    recorder.flushOutside(0, 1); // what earlier tests left on this thread
    exported.reset();
  }

  @AfterEach
  void uninstall() {
    IoHooks.install(null);
  }

  /** The {@code lookout.io} rows of one flush outside requests. */
  private List<SpanData> flushedSpans() {
    recorder.flushOutside(1, 2);
    List<SpanData> spans = exported.spans();
    exported.reset();
    return spans;
  }

  private List<EventData> flushed() {
    recorder.flushOutside(1, 2);
    List<EventData> rows = new ArrayList<>();
    for (SpanData span : exported.spans()) {
      for (EventData e : span.getEvents()) {
        if (e.getName().equals("lookout.io")) {
          rows.add(e);
        }
      }
    }
    exported.reset();
    return rows;
  }

  private static long sum(List<EventData> rows, Predicate<EventData> which, io.opentelemetry.api.common.AttributeKey<Long> key) {
    return rows.stream().filter(which).mapToLong(e -> {
      Long v = e.getAttributes().get(key);
      return v == null ? 0 : v;
    }).sum();
  }

  private static Predicate<EventData> row(String kind, String verdict) {
    return e -> kind.equals(e.getAttributes().get(E_KIND))
        && verdict.equals(e.getAttributes().get(E_VERDICT));
  }

  @Test
  void onePlainAndOneTlsConnectionOnOneThreadNeverMix() {
    for (int i = 0; i < 5; i++) {
      OneThreadServer.readRequest(80);
      OneThreadServer.plainCopyLoop(4 * 1024 * 1024, 8192);
      OneThreadServer.readRequest(300);
      OneThreadServer.tlsCopyLoop(4 * 1024 * 1024 + 7, 16384);
    }
    List<EventData> rows = flushed();
    Predicate<EventData> candidate = row("copy-loop", "candidate");
    Predicate<EventData> tlsLoop = row("copy-loop", "tls-blocked");
    assertThat(sum(rows, candidate, E_BYTES)).isEqualTo(5L * 4 * 1024 * 1024);
    assertThat(sum(rows, candidate, E_CALLS)).isEqualTo(5);
    assertThat(sum(rows, tlsLoop, E_BYTES)).isEqualTo(5L * (4 * 1024 * 1024 + 7));
    assertThat(sum(rows, tlsLoop, E_CALLS)).isEqualTo(5);
    assertThat(rows.stream().filter(candidate)).allSatisfy(e -> {
      assertThat(e.getAttributes().get(E_CALL_SITE)).contains("plainCopyLoop");
      assertThat(e.getAttributes().get(E_TARGET)).isEqualTo("socket");
    });
    assertThat(rows.stream().filter(tlsLoop)).allSatisfy(e -> {
      assertThat(e.getAttributes().get(E_CALL_SITE)).contains("tlsCopyLoop");
      assertThat(e.getAttributes().get(E_REASON)).startsWith("JSSE TLS").contains("user space");
    });
    // socket bytes: the TLS connection's records are TLS, the plain connection's bytes stay plain
    long tlsRecords = 5L * ((4 * 1024 * 1024 + 7) / 16384 + 1 + 1) * 29 + 5L * (4 * 1024 * 1024 + 7 + 100);
    assertThat(sum(rows, row("socket", "tls-blocked"), E_BYTES)).isEqualTo(tlsRecords);
    assertThat(sum(rows, row("socket", "none"), E_BYTES))
        .isEqualTo(5L * (80 + 300 + 100 + 4 * 1024 * 1024));
  }

  @Test
  void anSslEngineLoopIsTlsBlockedAndItsRecordsAreTlsSocketBytes() {
    OneThreadServer.readRequest(50);
    OneThreadServer.plainCopyLoop(10_000, 4096);
    OneThreadServer.engineReadRequest(70);
    OneThreadServer.engineCopyLoop(100_000, 16384);
    List<EventData> rows = flushed();
    assertThat(sum(rows, row("copy-loop", "tls-blocked"), E_BYTES)).isEqualTo(100_000);
    assertThat(sum(rows, row("copy-loop", "candidate"), E_BYTES)).isEqualTo(10_000);
    assertThat(sum(rows, row("socket", "tls-blocked"), E_BYTES)).isEqualTo(70 + 100_000 + 7 * 29);
    assertThat(sum(rows, row("socket", "none"), E_BYTES)).isEqualTo(50 + 100 + 10_000);
  }

  @Test
  void fileBytesNeverWrittenAreNoCopyLoop() {
    OneThreadServer.readConfig(206);
    OneThreadServer.readRequest(50);
    OneThreadServer.plainCopyLoop(0, 4096); // a response without file bytes
    assertThat(flushed()).noneMatch(row("copy-loop", "candidate"));
  }

  @Test
  void aLoopAcrossTwoFlushesCountsOneCallAndEveryByte() {
    OneThreadServer.readRequest(50);
    OneThreadServer.plainCopyLoop(40_000, 8192);
    List<EventData> first = flushed();
    OneThreadServer.plainCopyLoop(0, 8192);
    IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), 1000);
    IoHooks.socketWrite(IoHooks.start(), 1000);
    List<EventData> second = flushed();
    Predicate<EventData> candidate = row("copy-loop", "candidate");
    assertThat(sum(first, candidate, E_BYTES) + sum(second, candidate, E_BYTES))
        .isEqualTo(41_000);
    assertThat(sum(first, candidate, E_CALLS) + sum(second, candidate, E_CALLS)).isEqualTo(1);
  }

  @Test
  void aCopyLoopNamesTheSiteItsWovenFirstReadLeftAndAnyReadClearsIt() {
    IoHooks.Counters c = IoHooks.current();
    OneThreadServer.readRequest(50);
    c.readSite = "example.app.Loop.copy:12"; // what IoSites.nextRead sets before the application's read
    IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), 8192);
    assertThat(c.readSite).as("taken by the read").isNull();
    IoHooks.socketWrite(IoHooks.start(), 8192);
    // a read that is not counted (a jar), one that read nothing: each takes the site left for it
    OneThreadServer.readRequest(50);
    c.readSite = "example.app.Loop.config:20";
    assertThat(IoHooks.fileEnter("/srv/lib/x.jar")).isNull();
    assertThat(c.readSite).isNull();
    c.readSite = "example.app.Loop.eof:30";
    IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), -1);
    assertThat(c.readSite).isNull();
    // so the next loop's first read, which no woven call made, is walked to its own site
    OneThreadServer.plainCopyLoop(4096, 4096);
    List<EventData> rows = flushed();
    Predicate<EventData> candidate = row("copy-loop", "candidate");
    assertThat(rows.stream().filter(candidate).map(e -> e.getAttributes().get(E_CALL_SITE)))
        .containsExactlyInAnyOrder("example.app.Loop.copy:12", "example.app.OneThreadServer.plainCopyLoop:23");
  }

  @Test
  void aTransferMadeBeforeThePipelineIsReportedOnceItIsAttached() throws Exception {
    IoRecorder early = new IoRecorder(60_000);
    IoHooks.install(early);
    try (SocketChannel target = SocketChannel.open()) {
      IoHooks.Counters c = IoHooks.transferEnter();
      IoHooks.transferPath(IoHooks.MECH_DIRECT, 4096);
      IoHooks.transferExit(c, true, 4096, null, target, null);
      early.flushOutside(0, 1); // not attached: nothing reported, nothing dropped
      assertThat(exported.spans()).isEmpty();
      early.attach(exported.sink, io.opentelemetry.api.metrics.MeterProvider.noop().get("io"));
      recorder = early;
      List<EventData> rows = flushed();
      Predicate<EventData> zero = row("transferTo", "zero-copy");
      assertThat(sum(rows, zero, E_ZERO)).isEqualTo(4096);
      assertThat(sum(rows, zero, E_CALLS)).isEqualTo(1);
    }
  }

  @Test
  void aRequestServedBeforeThePipelineKeepsItsSocketFigures() {
    IoRecorder early = new IoRecorder(60_000); // no meter yet: it comes with the pipeline
    IoHooks.install(early);
    SpanRecord r = request("/hello", 21);
    early.started(r);
    IoHooks.socketRead(IoHooks.start(), 120);
    IoHooks.socketWrite(IoHooks.start(), 310);
    early.ending(r);
    assertThat(r.socketIn).isEqualTo(120);
    assertThat(r.socketOut).isEqualTo(310);
    assertThat(r.socketCalls).isEqualTo(2);
  }

  /** A channel of the application's own, as {@code Channels.newChannel} or a TLS library would hand over. */
  static final class SslLikeChannel {}

  @Test
  void transfersToTheSameKindOfTargetFromOneSiteAreOneRowNamingTheTargetsClass() throws Exception {
    Object[] targets = {new Object(), new SslLikeChannel(), new Object(), new SslLikeChannel(), null};
    for (Object target : targets) {
      IoHooks.Counters c = IoHooks.transferEnter();
      IoHooks.transferPath(IoHooks.MECH_USER_COPY, 1000);
      IoHooks.transferExit(c, true, 1000, null, target, null); // one call site: this line
    }
    List<EventData> rows = flushed();
    assertThat(rows.stream().filter(row("transferTo", "fallback"))).hasSize(2).anySatisfy(e -> {
      assertThat(e.getAttributes().get(E_CALLS)).isEqualTo(2L);
      assertThat(e.getAttributes().get(E_COPIED)).isEqualTo(2000L);
      assertThat(e.getAttributes().get(E_REASON))
          .isEqualTo("target java.lang.Object is not a JDK file, socket or pipe channel: copied through a heap buffer");
    }).anySatisfy(e -> {
      assertThat(e.getAttributes().get(E_CALLS)).isEqualTo(1L);
      assertThat(e.getAttributes().get(E_REASON))
          .isEqualTo("target null is not a JDK file, socket or pipe channel: copied through a heap buffer");
    });
    assertThat(rows.stream().filter(row("transferTo", "tls-blocked"))).singleElement().satisfies(e -> {
      assertThat(e.getAttributes().get(E_CALLS)).isEqualTo(2L);
      assertThat(e.getAttributes().get(E_REASON)).isEqualTo("target " + SslLikeChannel.class.getName()
          + " is TLS in user space (not a kernel socket): copied through a heap buffer and encrypted, zero-copy impossible");
    });
    assertThat(rows).allSatisfy(e -> assertThat(e.getAttributes().get(E_CALL_SITE)).startsWith("org.junit."));
  }

  @Test
  void aTransferMadeThroughAWovenCallNamesItsSiteAndTheNextUnwovenOneIsWalked() {
    IoHooks.Counters c = IoHooks.transferEnter();
    c.callSite = "example.app.Files.send:42"; // what IoSites sets around the application's woven call
    IoHooks.transferPath(IoHooks.MECH_USER_COPY, 1000);
    IoHooks.transferExit(c, true, 1000, null, new Object(), null);
    c.callSite = null;
    c = IoHooks.transferEnter();
    IoHooks.transferPath(IoHooks.MECH_USER_COPY, 500);
    IoHooks.transferExit(c, true, 500, null, new Object(), null);
    List<EventData> rows = flushed();
    // this class is the agent's to the walk, which names the first frame above it
    assertThat(rows).extracting(e -> e.getAttributes().get(E_CALL_SITE), e -> e.getAttributes().get(E_COPIED))
        .hasSize(2).contains(tuple("example.app.Files.send:42", 1000L))
        .anySatisfy(t -> assertThat((String) t.toArray()[0]).startsWith("org.junit."));
  }

  @Test
  void aTransferTheKernelMovedIsZeroCopyEvenWhereTlsWasSeen() throws Exception {
    try (SocketChannel target = SocketChannel.open()) {
      IoHooks.Counters c = IoHooks.transferEnter();
      IoHooks.tls(10); // TLS seen during the transfer (say, kernel TLS set up by a library)
      IoHooks.transferPath(IoHooks.MECH_DIRECT, 8192);
      IoHooks.transferExit(c, true, 8192, null, target, null);
      c = IoHooks.transferEnter();
      IoHooks.tls(8192); // JSSE: the JDK could only copy into the TLS stream
      IoHooks.transferPath(IoHooks.MECH_USER_COPY, 8192);
      IoHooks.transferExit(c, true, 8192, null, new Object(), null);
    }
    List<EventData> rows = flushed();
    assertThat(sum(rows, row("transferTo", "zero-copy"), E_ZERO)).isEqualTo(8192);
    assertThat(rows.stream().filter(row("transferTo", "tls-blocked"))).singleElement().satisfies(e -> {
      assertThat(e.getAttributes().get(E_COPIED)).isEqualTo(8192L);
      assertThat(e.getAttributes().get(E_REASON)).startsWith("JSSE TLS");
    });
  }

  @Test
  void aRequestsCopyLoopIsItsOwnAndTheLoopOutsideItStaysOutside() {
    OneThreadServer.readRequest(50);
    OneThreadServer.tlsCopyLoop(3000, 1000); // before the request: outside
    SpanRecord request = exported.sink.span();
    request.traceIdLow = 1;
    request.spanId = 1;
    request.method = "GET";
    request.path = "/file";
    recorder.started(request);
    OneThreadServer.plainCopyLoop(20_000, 8192);
    recorder.ending(request);
    exported.sink.submit(request);
    List<EventData> inRequest = new ArrayList<>();
    for (SpanData d : exported.spans()) {
      inRequest.addAll(d.getEvents());
    }
    exported.reset();
    assertThat(sum(inRequest, row("copy-loop", "candidate"), E_BYTES)).isEqualTo(20_000);
    assertThat(sum(inRequest, row("copy-loop", "candidate"), E_CALLS)).isEqualTo(1);
    assertThat(inRequest).noneMatch(row("copy-loop", "tls-blocked"));
    List<EventData> outside = flushed();
    assertThat(sum(outside, row("copy-loop", "tls-blocked"), E_BYTES)).isEqualTo(3000);
    assertThat(outside).noneMatch(row("copy-loop", "candidate"));
  }

  /** A fake Tomcat request: the connector's sendfile support as its attribute. */
  public static final class FakeRequest {
    private final Object support;

    FakeRequest(Object support) {
      this.support = support;
    }

    public Object getAttribute(String name) {
      return "org.apache.tomcat.sendfile.support".equals(name) ? support : null;
    }
  }

  private SpanRecord request(String path, long id) {
    SpanRecord r = exported.sink.span();
    r.traceIdLow = id;
    r.spanId = id;
    r.method = "GET";
    r.path = path;
    return r;
  }

  private List<EventData> submitted(SpanRecord r) {
    exported.sink.submit(r);
    List<EventData> events = new ArrayList<>();
    for (SpanData d : exported.spans()) {
      events.addAll(d.getEvents());
    }
    exported.reset();
    return events;
  }

  @Test
  void aCopyTheContainerChoseIsAFallbackWithItsReasonAndTheNextRequestsLoopACandidateAgain() {
    OneThreadServer.readRequest(50);
    SpanRecord first = request("/static/big.bin", 7);
    recorder.started(first);
    IoHooks.containerSendfileChecked(new FakeRequest(null), 200_000, 48 * 1024, false);
    OneThreadServer.plainCopyLoop(200_000, 8192);
    recorder.ending(first);
    List<EventData> events = submitted(first);
    assertThat(sum(events, row("copy-loop", "fallback"), E_BYTES)).isEqualTo(200_000);
    assertThat(events).filteredOn(row("copy-loop", "fallback"))
        .allSatisfy(e -> assertThat(e.getAttributes().get(E_REASON)).contains("useSendfile=false"));
    assertThat(events).noneMatch(row("copy-loop", "candidate"));

    // sendfile on but refused for this response; and small files or sendfile taken: nothing to say
    OneThreadServer.readRequest(50);
    SpanRecord second = request("/static/other.bin", 8);
    recorder.started(second);
    IoHooks.containerSendfileChecked(new FakeRequest(Boolean.TRUE), 200_000, 48 * 1024, false);
    OneThreadServer.plainCopyLoop(100_000, 8192);
    recorder.ending(second);
    assertThat(submitted(second)).filteredOn(row("copy-loop", "fallback"))
        .allSatisfy(e -> assertThat(e.getAttributes().get(E_REASON)).contains("refused"));

    OneThreadServer.readRequest(50);
    SpanRecord third = request("/files/loop", 9);
    recorder.started(third);
    IoHooks.containerSendfileChecked(new FakeRequest(null), 1_000, 48 * 1024, false);
    OneThreadServer.plainCopyLoop(20_000, 8192);
    recorder.ending(third);
    List<EventData> plain = submitted(third);
    assertThat(sum(plain, row("copy-loop", "candidate"), E_BYTES)).isEqualTo(20_000);
    assertThat(plain).noneMatch(row("copy-loop", "fallback"));
  }

  @Test
  void aRequestFollowedOnAnotherThreadAddsThatThreadsIoAndLeavesItsOutsideAlone() throws Exception {
    OneThreadServer.readRequest(50);
    SpanRecord r = request("/static/big.bin", 11);
    recorder.started(r);
    IoHooks.socketWrite(IoHooks.start(), 200); // the response head, on the request thread
    recorder.paused(r);
    IoHooks.socketWrite(IoHooks.start(), 5_000); // this thread's next work: not the request's
    Thread poller = new Thread(() -> {
      IoHooks.socketWrite(IoHooks.start(), 1_000); // the poller's own traffic before
      Object token = recorder.borrow(r);
      IoHooks.socketWrite(IoHooks.start(), 300);
      recorder.giveBack(r, token);
      IoHooks.socketWrite(IoHooks.start(), 2_000); // and after
    }, "poller");
    poller.start();
    poller.join();
    recorder.ending(r);
    exported.sink.submit(r);
    List<SpanData> spans = exported.spans();
    exported.reset();
    assertThat(spans).singleElement().satisfies(s -> {
      assertThat(s.getAttributes().get(SpanKeys.SOCKET_OUT)).isEqualTo(500L);
      assertThat(s.getAttributes().get(SpanKeys.SOCKET_CALLS)).isEqualTo(2L);
    });
    long outside = 0;
    for (SpanData d : flushedSpans()) {
      Long out = d.getAttributes().get(SpanKeys.SOCKET_OUT);
      outside += out == null ? 0 : out;
    }
    assertThat(outside).as("outside requests: both threads' other traffic").isEqualTo(8_000);
  }
}
