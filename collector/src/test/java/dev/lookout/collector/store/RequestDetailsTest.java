package dev.lookout.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A request's packed details come back field for field, whatever the values: nulls, any text, any number. */
class RequestDetailsTest {

  private static final String[] TEXTS = {null, "", "http", "10.0.0.1", "Mozilla/5.0 (X11; Linux x86_64)",
      "\u00e9t\u00e9 \u6f22\u5b57 \ud83d\ude00", "tab\tnew\nline\u0000nul", "x".repeat(300), "{\"k\":[1,2]}"};
  private static final long[] NUMBERS = {0, 1, -1, 63, 64, -64, -65, 127, 128, 300, Integer.MAX_VALUE,
      Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35};

  @Test
  void everyFieldRoundTrips() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 5_000; i++) {
      int lifted = i % 10 == 0 ? 0 : 1 + random.nextInt(Integer.MAX_VALUE);
      RequestColumns columns = lifted == 0 ? RequestColumns.NONE : new RequestColumns(lifted, text(random),
          text(random), number(random), text(random), text(random), number(random), number(random), number(random),
          number(random), number(random), number(random), text(random));
      RequestRecord r = new RequestRecord(0, "t", "s", "svc", "GET", "/", null, null, 200, 1.5, 7L, text(random),
          (int) number(random), (int) number(random), text(random), columns);
      RequestDetails.Unpacked d = RequestDetails.unpack(RequestDetails.pack(r));
      assertThat(d.clientAddress()).isEqualTo(r.clientAddress());
      assertThat(d.exceptionCount()).isEqualTo(r.exceptionCount());
      assertThat(d.logCount()).isEqualTo(r.logCount());
      assertThat(d.attributesJson()).isEqualTo(r.attributesJson());
      assertThat(d.columns()).isEqualTo(columns);
    }
  }

  @Test
  void noLiftedAttributesComeBackAsNone() {
    RequestRecord r = new RequestRecord(0, "t", "s", "svc", "GET", "/", null, null, 200, 1.5, 7L, null, 0, 0, null,
        RequestColumns.NONE);
    assertThat(RequestDetails.unpack(RequestDetails.pack(r)).columns()).isSameAs(RequestColumns.NONE);
  }

  @Test
  void anUnknownFormatOrACutColumnIsRefused() {
    RequestRecord r = new RequestRecord(0, "t", "s", "svc", "GET", "/", null, null, 200, 1.5, 7L, "10.0.0.1", 1, 2,
        "{}", new RequestColumns(3, "http", "h", 80, "ua", null, 1, 2, 3, 4, 5, 6, "none"));
    byte[] packed = RequestDetails.pack(r);
    byte[] other = packed.clone();
    other[0] = 2;
    assertThatThrownBy(() -> RequestDetails.unpack(other)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestDetails.unpack(Arrays.copyOf(packed, packed.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestDetails.unpack(Arrays.copyOf(packed, packed.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String text(SplittableRandom random) {
    return TEXTS[random.nextInt(TEXTS.length)];
  }

  private static long number(SplittableRandom random) {
    return random.nextInt(3) == 0 ? random.nextLong() : NUMBERS[random.nextInt(NUMBERS.length)];
  }
}
