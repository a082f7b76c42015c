package dev.lookout.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The TLS-PSK identity on the wire: {@code identity:keyid}, the key id being the first 8 bytes of
 * the key's SHA-256 in lower-case hex. The agent sends it; the collector finds the key by it, so an
 * identity can hold several keys while they are rotated. The key itself never leaves either JVM.
 */
public final class PskIdentity {

  private static final int KEY_ID_BYTES = 8;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private PskIdentity() {}

  /** {@code identity:keyid}. */
  public static String onTheWire(String identity, byte[] key) {
    return identity + ":" + keyId(key);
  }

  /** The first 8 bytes of the key's SHA-256, in hex. */
  public static String keyId(byte[] key) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(key);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] hex = new byte[KEY_ID_BYTES * 2];
    for (int i = 0; i < KEY_ID_BYTES; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(hex, StandardCharsets.US_ASCII);
  }
}
