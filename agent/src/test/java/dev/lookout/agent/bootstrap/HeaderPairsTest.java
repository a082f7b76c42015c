package dev.lookout.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderPairsTest {

  @Test
  void takesThePairsInOrderInAnExactlySizedArrayAndStartsEmptyAgain() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("Host", "example.org");
    pairs.add("Accept", "text/html");
    pairs.add("Accept", "*/*");
    assertThat(pairs.take()).containsExactly("Host", "example.org", "Accept", "text/html", "Accept", "*/*");
    assertThat(HeaderPairs.forThread().take()).isEmpty();
  }

  @Test
  void growsPastItsFirstSizeAndForgetsWhatAnEarlierUseLeft() {
    HeaderPairs first = HeaderPairs.forThread();
    first.add("X-Left", "over"); // never taken: the next use starts empty anyway
    HeaderPairs pairs = HeaderPairs.forThread();
    for (int i = 0; i < 40; i++) {
      pairs.add("X-" + i, Integer.toString(i));
    }
    String[] taken = pairs.take();
    assertThat(taken).hasSize(80);
    assertThat(taken[0]).isEqualTo("X-0");
    assertThat(taken[79]).isEqualTo("39");
  }

  @Test
  void eachThreadHasItsOwn() throws InterruptedException {
    HeaderPairs mine = HeaderPairs.forThread();
    mine.add("A", "1");
    HeaderPairs[] theirs = new HeaderPairs[1];
    Thread t = new Thread(() -> theirs[0] = HeaderPairs.forThread());
    t.start();
    t.join();
    assertThat(theirs[0]).isNotSameAs(mine);
    assertThat(mine.take()).containsExactly("A", "1");
  }
}
