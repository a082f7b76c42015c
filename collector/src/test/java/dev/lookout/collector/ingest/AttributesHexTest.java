package dev.lookout.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Trace and span ids as lower-case hex, exactly as {@link HexFormat} writes them; an empty id is none. */
class AttributesHexTest {

  @Test
  void idsAreLowerCaseHexOfEveryByte() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2_000; i++) {
      byte[] id = new byte[1 + random.nextInt(32)];
      for (int j = 0; j < id.length; j++) {
        id[j] = (byte) random.nextInt(256);
      }
      assertThat(Attributes.hex(ByteString.copyFrom(id))).isEqualTo(HexFormat.of().formatHex(id));
    }
    assertThat(Attributes.hex(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0x0a, (byte) 0xa0})))
        .isEqualTo("00ff0aa0");
    assertThat(Attributes.hex(ByteString.EMPTY)).isNull();
  }
}
