package dev.lookout.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.agent.record.SpanKeys;
import dev.lookout.agent.record.SpanRecord;
import dev.lookout.agent.support.Exported;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request inside a container's exchange stays open until the exchange ends (the response flush is
 * its), and a sendfile that goes on on the poller thread until the file went out.
 */
class ContainerExchangeTest {

  private final Exported exported = new Exported();
  private final Recorder recorder = new Recorder();
  private final ServerSpans spans = new ServerSpans(exported.sink, PathFilter.parse(null), recorder);

  /** What the request observer was told, on which thread. */
  static final class Recorder implements RequestObserver {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private void note(String what, SpanRecord r) {
      events.add(what + " " + r.path + " on " + Thread.currentThread().getName());
    }

    @Override
    public void started(SpanRecord record) {
      note("started", record);
    }

    @Override
    public void ending(SpanRecord record) {
      note("ending", record);
    }

    @Override
    public void paused(SpanRecord record) {
      note("paused", record);
    }

    @Override
    public Object borrow(SpanRecord record) {
      note("borrow", record);
      return "token";
    }

    @Override
    public void giveBack(SpanRecord record, Object token) {
      note("giveBack " + token, record);
    }
  }

  private Object start(String path) {
    return spans.start("GET", "http", "localhost", 8080, path, null, "127.0.0.1", null, null, null);
  }

  @Test
  void withoutContainerAdviceTheRequestEndsAsTheServletReturns() {
    spans.end(start("/plain"), 200, null, "/plain", null);
    assertThat(exported.spans()).hasSize(1);
  }

  @Test
  void insideAnExchangeTheRequestEndsWithTheExchange() {
    Object exchange = spans.enterExchange();
    Object h = start("/hello");
    spans.end(h, 201, null, "/hello", null);
    assertThat(exported.spans()).as("the container still writes the response").isEmpty();
    assertThat(recorder.events).doesNotContain("ending /hello on " + Thread.currentThread().getName());
    assertThat(ServerSpans.currentTraceIdHex()).as("no longer current for logs").isNull();
    spans.end(h, 500, null, null, null); // a second end changes nothing
    spans.exitExchange(exchange);

    assertThat(exported.spans()).singleElement().satisfies(s -> {
      assertThat(s.getAttributes().get(SpanKeys.STATUS)).isEqualTo(201L);
      assertThat(s.getAttributes().get(SpanKeys.ROUTE)).isEqualTo("/hello");
    });
    spans.exitExchange(exchange); // unbalanced: nothing happens
    assertThat(exported.spans()).hasSize(1);
  }

  @Test
  void aRequestWhoseEndNeverCameIsNotCurrentInTheNextExchange() {
    start("/lost"); // its servlet's exit never reported back
    assertThat(ServerSpans.current()).isNotNull();
    Object exchange = spans.enterExchange();
    assertThat(ServerSpans.current()).as("the next request is not taken for a nested call").isNull();
    Object next = start("/next");
    assertThat(ServerSpans.current()).isNotNull();
    spans.end(next, 200, null, null, null);
    spans.exitExchange(exchange);
    assertThat(exported.spans()).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/next");
  }

  @Test
  void aPipelinedRequestEndsTheOneBeforeIt() {
    Object exchange = spans.enterExchange();
    spans.end(start("/first"), 200, null, null, null);
    Object second = start("/second");
    assertThat(exported.spans()).extracting(s -> s.getAttributes().get(SpanKeys.PATH)).containsExactly("/first");
    spans.end(second, 200, null, null, null);
    spans.exitExchange(exchange);
    assertThat(exported.spans()).hasSize(2);
  }

  @Test
  void aSendfileDoneOnTheRequestThreadEndsWithTheExchange() {
    Object connection = new Object();
    Object exchange = spans.enterExchange();
    spans.end(start("/static/small"), 200, null, "/static/*", null);
    Object token = spans.enterSendfile(connection, true);
    assertThat(token).isNotNull();
    spans.exitSendfile(token, true);
    assertThat(exported.spans()).isEmpty();
    spans.exitExchange(exchange);
    assertThat(exported.spans()).hasSize(1);
    assertThat(spans.enterSendfile(connection, false)).as("nothing left for the poller").isNull();
  }

  @Test
  void aSendfileThatGoesOnOnThePollerEndsWhenTheFileWentOut() throws Exception {
    Object connection = new Object();
    String worker = Thread.currentThread().getName();
    Object exchange = spans.enterExchange();
    spans.end(start("/static/big"), 200, null, "/static/*", null);
    spans.exitSendfile(spans.enterSendfile(connection, true), false); // the socket is full: pending
    spans.exitExchange(exchange);
    assertThat(exported.spans()).as("the file is still going out").isEmpty();
    assertThat(recorder.events).contains("paused /static/big on " + worker);

    List<Throwable> failures = new ArrayList<>();
    Thread poller = new Thread(() -> {
      try {
        Object first = spans.enterSendfile(connection, false);
        assertThat(first).isNotNull();
        spans.exitSendfile(first, false); // more to send
        assertThat(exported.spans()).isEmpty();
        Object last = spans.enterSendfile(connection, false);
        spans.exitSendfile(last, true);
      } catch (Throwable t) {
        failures.add(t);
      }
    }, "poller");
    poller.start();
    poller.join();
    assertThat(failures).isEmpty();

    assertThat(exported.spans()).singleElement()
        .satisfies(s -> assertThat(s.getAttributes().get(SpanKeys.ROUTE)).isEqualTo("/static/*"));
    assertThat(recorder.events).containsSubsequence("paused /static/big on " + worker,
        "borrow /static/big on poller", "giveBack token /static/big on poller",
        "borrow /static/big on poller", "giveBack token /static/big on poller", "ending /static/big on poller");
    assertThat(spans.enterSendfile(connection, false)).isNull();
  }

  @Test
  void aPollerThatFinishesFirstLeavesTheEndToTheRequestThread() {
    Object connection = new Object();
    Object exchange = spans.enterExchange();
    spans.end(start("/static/race"), 200, null, null, null);
    spans.exitSendfile(spans.enterSendfile(connection, true), false);
    // the poller took the rest before the request thread left the exchange
    Object pollerToken = spans.enterSendfile(connection, false);
    spans.exitSendfile(pollerToken, true);
    assertThat(exported.spans()).isEmpty();
    spans.exitExchange(exchange);
    assertThat(exported.spans()).hasSize(1);
  }
}
