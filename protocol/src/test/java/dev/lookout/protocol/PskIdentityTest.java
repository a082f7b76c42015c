package dev.lookout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PskIdentityTest {

  @Test
  void keyIdIsTheFirstEightBytesOfTheSha256InHex() {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertEquals("ba7816bf8f01cfea", PskIdentity.keyId("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("app:ba7816bf8f01cfea", PskIdentity.onTheWire("app", "abc".getBytes(StandardCharsets.US_ASCII)));
  }
}
