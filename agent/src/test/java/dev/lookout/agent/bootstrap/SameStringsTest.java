package dev.lookout.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SameStringsTest {

  /** A string equal to {@code s} but not the same instance, as a container makes per request. */
  private static String anew(String s) {
    return new String(s.toCharArray());
  }

  @Test
  void anEqualStringIsSwappedForTheOneItsSlotHeld() {
    SameStrings seen = new SameStrings(2);
    String first = anew("127.0.0.1");
    assertThat(seen.same(0, first)).isSameAs(first);
    String again = anew("127.0.0.1");
    assertThat(seen.same(0, again)).isSameAs(first);
    assertThat(seen.same(1, anew("127.0.0.1"))).isNotSameAs(first); // slots are apart
  }

  @Test
  void aDifferentStringTakesTheSlot() {
    SameStrings seen = new SameStrings(1);
    seen.same(0, "/a");
    String b = anew("/b");
    assertThat(seen.same(0, b)).isSameAs(b);
    assertThat(seen.same(0, anew("/b"))).isSameAs(b);
    assertThat(seen.same(0, null)).isNull();
    assertThat(seen.same(0, anew("/b"))).isSameAs(b); // a missing value keeps the slot
  }

  @Test
  void longStringsAndSlotsPastTheEndAreLeftAsTheyAre() {
    SameStrings seen = new SameStrings(1);
    String longOne = "x".repeat(SameStrings.MAX_LENGTH + 1);
    seen.same(0, longOne);
    String longAgain = anew(longOne);
    assertThat(seen.same(0, longAgain)).isSameAs(longAgain);
    String past = anew("v");
    assertThat(seen.same(5, past)).isSameAs(past);
  }

  @Test
  void sameAllGoesByIndex() {
    SameStrings seen = new SameStrings(4);
    String[] first = {"Host", anew("example.org"), "Content-Length", anew("6")};
    seen.sameAll(first, 4);
    String[] next = {"Host", anew("example.org"), "Content-Length", anew("7"), null};
    seen.sameAll(next, 4);
    assertThat(next[1]).isSameAs(first[1]);
    assertThat(next[3]).isNotSameAs(first[3]).isEqualTo("7");
    assertThat(next[4]).isNull();
  }

  @Test
  void aHandedOverRequestCarriesTheStringsOfTheThreadsLastRequest() {
    HeaderPairs pairs = HeaderPairs.forThread();
    pairs.add("Host", anew("example.org"));
    String[] first = pairs.handOverRequest(null);
    pairs.clear();
    pairs.add("Host", anew("example.org"));
    String[] second = pairs.handOverRequest(null);
    assertThat(second[1]).isSameAs(first[1]);
    pairs.add("Host", anew("example.org"));
    String[] response = pairs.handOverResponse(null); // the response side keeps its own
    assertThat(response[1]).isNotSameAs(first[1]).isEqualTo("example.org");
  }
}
