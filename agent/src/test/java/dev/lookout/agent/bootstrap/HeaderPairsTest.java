package dev.lookout.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeaderPairsTest {

  /** The pairs up to the first null name, as their readers take them. */
  private static String[] added(HeaderPairs pairs) {
    String[] all = pairs.pairs();
    int n = 0;
    while (n < all.length && all[n] != null) {
      n += 2;
    }
    return Arrays.copyOf(all, n);
  }

  @Test
  void handsThePairsInOrderEndedByANullAndClearsThemAfter() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("Host", "example.org");
    pairs.add("Accept", "text/html");
    pairs.add("Accept", "*/*");
    assertThat(added(pairs)).containsExactly("Host", "example.org", "Accept", "text/html", "Accept", "*/*");
    String[] scratch = pairs.pairs();
    pairs.clear();
    assertThat(scratch).containsOnlyNulls();
    assertThat(added(HeaderPairs.forThread())).isEmpty();
  }

  @Test
  void growsPastItsFirstSizeAndForgetsWhatAnEarlierUseLeft() {
    HeaderPairs first = HeaderPairs.forThread();
    first.add("X-Left", "over"); // never cleared: the next use starts empty anyway
    HeaderPairs pairs = HeaderPairs.forThread();
    for (int i = 0; i < 40; i++) {
      pairs.add("X-" + i, Integer.toString(i));
    }
    String[] taken = added(pairs);
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
    assertThat(added(mine)).containsExactly("A", "1");
  }

  @Test
  void handsItsArrayToARecordAndTakesTheRecordsEmptied() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("Host", "example.org");
    pairs.add("Accept", "*/*");
    String[] scratch = pairs.pairs();
    String[] recordArray = new String[20];
    recordArray[0] = "Stale";
    recordArray[1] = "left by a request before";

    String[] handed = pairs.handOver(recordArray);

    assertThat(handed).isSameAs(scratch).startsWith("Host", "example.org", "Accept", "*/*");
    assertThat(pairs.size()).isZero();
    assertThat(pairs.pairs()).isSameAs(recordArray).containsOnlyNulls();
    pairs.clear(); // as the helper does after the hook: the handed pairs stay with the record
    pairs.add("Via", "1.1 proxy");
    assertThat(added(pairs)).containsExactly("Via", "1.1 proxy");
    assertThat(handed).startsWith("Host", "example.org", "Accept", "*/*");
  }

  @Test
  void takesANewArrayInPlaceOfNoneOrAShortOne() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("Host", "example.org");
    pairs.handOver(null); // a record's first use
    assertThat(pairs.pairs()).hasSizeGreaterThanOrEqualTo(16).containsOnlyNulls();
    pairs.add("Host", "example.org");
    pairs.handOver(new String[2]);
    assertThat(pairs.pairs()).hasSizeGreaterThanOrEqualTo(16).containsOnlyNulls();
  }
}
