package example.app;

import dev.lookout.agent.bootstrap.IoHooks;

/**
 * What the JDK advice reports while one thread serves a plain and a TLS connection, driven through the
 * bridge directly (no agent in unit tests). A package of its own, so that call sites name it.
 */
public final class OneThreadServer {

  private OneThreadServer() {}

  /** A request read from a socket. */
  public static void readRequest(int n) {
    IoHooks.socketRead(IoHooks.start(), n);
  }

  /** A plain response: the header, then file bytes read into a heap buffer and written, chunk by chunk. */
  public static void plainCopyLoop(long fileBytes, int chunk) {
    IoHooks.socketWrite(IoHooks.start(), 100);
    for (long left = fileBytes; left > 0; left -= chunk) {
      int n = (int) Math.min(chunk, left);
      IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), n);
      // a partial write first: the rest of the chunk stays pending for the next write
      IoHooks.socketWrite(IoHooks.start(), n / 2);
      IoHooks.socketWrite(IoHooks.start(), n - n / 2);
    }
  }

  /** The same through an SSLSocket: plaintext to TLS, records written by its record layer. */
  public static void tlsCopyLoop(long fileBytes, int chunk) {
    tlsWrite(100);
    for (long left = fileBytes; left > 0; left -= chunk) {
      int n = (int) Math.min(chunk, left);
      IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), n);
      tlsWrite(n);
    }
  }

  /** A request read through an SSLEngine: a plain socket read, then unwrap of the records. */
  public static void engineReadRequest(int n) {
    IoHooks.socketRead(IoHooks.start(), n);
    IoHooks.tlsUnwrapped(n);
  }

  /** The same through an SSLEngine: wrap, then a plain socket write of the records. */
  public static void engineCopyLoop(long fileBytes, int chunk) {
    for (long left = fileBytes; left > 0; left -= chunk) {
      int n = (int) Math.min(chunk, left);
      IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), n);
      IoHooks.tlsWrapped(n, n + 29);
      IoHooks.socketWrite(IoHooks.start(), n + 29);
    }
  }

  /** A configuration file read and never sent. */
  public static void readConfig(int n) {
    readFile(n);
  }

  private static void readFile(int n) {
    IoHooks.fileExit(IoHooks.fileEnter("/srv/file.bin"), n);
  }

  private static void tlsWrite(int n) {
    IoHooks.tls(n);
    IoHooks.Counters c = IoHooks.tlsRecordEnter();
    try {
      IoHooks.socketWrite(IoHooks.start(), n + 29);
    } finally {
      IoHooks.tlsRecordExit(c);
    }
  }
}
