package dev.lookout.collector.psk;

import dev.lookout.protocol.PskIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The pre-shared keys, one {@code identity hexkey} per line of {@code psk.keys} in the data
 * directory. An identity may have several keys at once, which is how keys are rotated: add the new
 * key, move the agents over, remove the old one — the file is reread when it changes, without a
 * restart. On the wire an agent names its identity and which key it holds:
 * {@code identity:keyid} ({@link PskIdentity}).
 */
public final class PskKeys {

  public static final String FILE = "psk.keys";

  private final Path file;
  private volatile Map<String, byte[]> byWireIdentity = Map.of();
  private volatile long loadedModified = -1;

  public PskKeys(Path dataDir) {
    this.file = dataDir.resolve(FILE);
  }

  /** A copy of the key for {@code identity:keyid} (the TLS stack wipes what it is given), or null. */
  public byte[] lookup(String wireIdentity) {
    reloadIfChanged();
    byte[] key = byWireIdentity.get(wireIdentity);
    return key == null ? null : key.clone();
  }

  public Path file() {
    return file;
  }

  private synchronized void reloadIfChanged() {
    try {
      long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() + Files.size(file) : 0;
      if (modified == loadedModified) {
        return;
      }
      Map<String, byte[]> keys = new HashMap<>();
      if (modified != 0) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
          String l = line.trim();
          if (l.isEmpty() || l.startsWith("#")) {
            continue;
          }
          String[] parts = l.split("\\s+");
          if (parts.length != 2) {
            continue;
          }
          byte[] key = HexFormat.of().parseHex(parts[1]);
          keys.put(PskIdentity.onTheWire(parts[0], key), key);
        }
      }
      byWireIdentity = keys;
      loadedModified = modified;
    } catch (IOException | IllegalArgumentException e) {
      // keep the keys loaded last; the listener logs handshake failures
    }
  }
}
