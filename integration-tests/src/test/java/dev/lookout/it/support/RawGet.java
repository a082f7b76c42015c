package dev.lookout.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 GET written by hand on a socket the caller opened (plain or TLS), read to the end:
 * the zero-copy tests count every byte the server sent, which an HTTP client library would hide.
 */
public final class RawGet {

  /** Everything the server sent, and the status line and body length read from it. */
  public final byte[] all;
  public final String statusLine;
  /** Bytes after the header block, or -1 when there was none. */
  public final long bodyLength;

  private RawGet(byte[] all) {
    this.all = all;
    String text = new String(all, 0, Math.min(all.length, 1024), StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    int lineEnd = text.indexOf("\r\n");
    this.statusLine = lineEnd < 0 ? text : text.substring(0, lineEnd);
    this.bodyLength = headEnd < 0 ? -1 : all.length - headEnd - 4;
  }

  /** Sends {@code GET path} with {@code Connection: close} and reads the answer; closes the socket. */
  public static RawGet on(Socket s, String path) throws IOException {
    try (Socket socket = s) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new RawGet(in.readAllBytes());
    }
  }
}
