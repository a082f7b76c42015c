package dev.lookout.sample;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A plain NIO file server, no framework, no servlet and nothing of Lookout in it: one selector thread
 * (the main thread) accepts on a plain port and, with {@code -Dtls.port=0} and a key store
 * ({@code javax.net.ssl.keyStore}), on a TLS port, and serves each connection itself, one file per
 * connection, with just enough HTTP/1.1:
 *
 * <ul>
 *   <li>{@code /transfer}: {@link FileChannel#transferTo} straight into the socket channel (sendfile);
 *   <li>{@code /copy}: a {@link FileInputStream} to {@code byte[8192]} to socket output stream copy loop
 *       (a zero-copy candidate);
 *   <li>{@code /channel}: transferTo into a wrapping channel the JDK cannot send to directly (fallback);
 *   <li>{@code /file-copy}: transferTo into another file (sendfile, or copy_file_range from JDK 21);
 *   <li>{@code /hello}: a few bytes.
 * </ul>
 *
 * On the TLS port (an {@link SSLSocket} layered over the accepted channel, JSSE), {@code /transfer} is
 * transferTo into a channel over the SSLSocket's stream and {@code /copy} the same copy loop into it:
 * both end up encrypting in the heap. The plain and the TLS connections are served by the same thread,
 * one after the other.
 *
 * <p>With {@code -Dstartup.transfers=N}, {@code main} first sends the file N times by transferTo into a
 * loopback socket, the instant the application starts (before the agent's pipeline is up).
 *
 * <p>Prints {@code STARTUP_TRANSFERS <n>}, {@code FILE_SIZE <n>}, {@code LISTENING_TLS <port>} and
 * {@code LISTENING <port>}. The served file is {@code -Dfile.size} bytes (default 1 MiB + 123).
 */
public final class NioFileServer {

  private NioFileServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args.length > 0 ? args[0] : "8080");
    long size = Long.getLong("file.size", 1024 * 1024 + 123);
    Path file = Files.createTempFile("lookout-nio-sample", ".bin");
    file.toFile().deleteOnExit();
    writeFile(file, size);
    int startup = Integer.getInteger("startup.transfers", 0);
    if (startup > 0) {
      startupTransfers(file, startup);
      System.out.println("STARTUP_TRANSFERS " + startup);
    }
    Selector selector = Selector.open();
    SSLSocketFactory tlsFactory = null;
    String tlsPort = System.getProperty("tls.port");
    if (tlsPort != null) {
      tlsFactory = SSLContext.getDefault().getSocketFactory();
      ServerSocketChannel tls = listen(selector, Integer.parseInt(tlsPort), "tls");
      System.out.println("LISTENING_TLS " + ((InetSocketAddress) tls.getLocalAddress()).getPort());
    }
    ServerSocketChannel plain = listen(selector, port, "plain");
    System.out.println("FILE_SIZE " + size);
    System.out.println("LISTENING " + ((InetSocketAddress) plain.getLocalAddress()).getPort());
    while (true) {
      selector.select();
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel client = ((ServerSocketChannel) key.channel()).accept();
        if (client == null) {
          continue;
        }
        client.configureBlocking(true);
        if ("tls".equals(key.attachment())) {
          serveTls(client, tlsFactory, file);
        } else {
          serve(client, file);
        }
      }
      selector.selectedKeys().clear();
    }
  }

  private static ServerSocketChannel listen(Selector selector, int port, String kind) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port));
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT, kind);
    return server;
  }

  /** The file sent {@code times} times by transferTo into a loopback socket, drained by another thread. */
  static void startupTransfers(Path file, int times) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      try (SocketChannel out = SocketChannel.open(server.getLocalAddress());
           SocketChannel in = server.accept()) {
        Thread drain = new Thread(() -> {
          ByteBuffer b = ByteBuffer.allocateDirect(64 * 1024);
          try {
            while (in.read(b) >= 0) {
              b.clear();
            }
          } catch (IOException ignored) {
            // closed
          }
        }, "startup-drain");
        drain.start();
        long size = Files.size(file);
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
          for (int i = 0; i < times; i++) {
            for (long position = 0; position < size; ) {
              position += f.transferTo(position, size - position, out);
            }
          }
        }
        out.shutdownOutput();
        drain.join();
      }
    }
  }

  private static void writeFile(Path file, long size) throws IOException {
    byte[] block = new byte[64 * 1024];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) ('a' + i % 26);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }

  private static void serve(SocketChannel client, Path file) {
    try (SocketChannel c = client) {
      String path = requestPath(c);
      long size = Files.size(file);
      switch (path) {
        case "/transfer":
          header(c, size);
          sendByTransferTo(file, c, size);
          break;
        case "/copy":
          header(c, size);
          sendByCopyLoop(file, Channels.newOutputStream(c));
          break;
        case "/hello":
          header(c, 6);
          writeFully(c, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
          break;
        case "/channel":
          header(c, size);
          sendThroughWrappedChannel(file, c, size);
          break;
        case "/file-copy":
          byte[] body = ("copied " + copyFileToFile(file) + "\n").getBytes(StandardCharsets.US_ASCII);
          header(c, body.length);
          writeFully(c, ByteBuffer.wrap(body));
          break;
        default:
          c.write(ByteBuffer.wrap("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII)));
      }
    } catch (IOException e) {
      System.err.println("connection failed: " + e);
    }
  }

  static void sendByTransferTo(Path file, SocketChannel socket, long size) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = 0;
      while (position < size) {
        position += in.transferTo(position, size - position, socket);
      }
    }
  }

  static void sendByCopyLoop(Path file, OutputStream socket) throws IOException {
    byte[] buffer = new byte[8192];
    try (InputStream in = new FileInputStream(file.toFile())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        socket.write(buffer, 0, n);
      }
    }
    socket.flush();
  }

  static void sendThroughWrappedChannel(Path file, SocketChannel socket, long size) throws IOException {
    WritableByteChannel wrapped = Channels.newChannel(Channels.newOutputStream(socket));
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = 0;
      while (position < size) {
        position += in.transferTo(position, size - position, wrapped);
      }
    }
  }

  static long copyFileToFile(Path file) throws IOException {
    Path copy = Files.createTempFile("lookout-nio-copy", ".bin");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
         FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      long size = in.size();
      long position = 0;
      while (position < size) {
        position += in.transferTo(position, size - position, out);
      }
      return position;
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** A TLS connection: an SSLSocket (JSSE) layered over the accepted channel, served on this thread. */
  private static void serveTls(SocketChannel client, SSLSocketFactory factory, Path file) {
    try (SocketChannel c = client;
         SSLSocket s = (SSLSocket) factory.createSocket(c.socket(), "localhost", c.socket().getLocalPort(), true)) {
      s.setUseClientMode(false);
      InputStream in = s.getInputStream();
      String path = requestPath(in);
      OutputStream out = s.getOutputStream();
      long size = Files.size(file);
      out.write(headerBytes(size));
      if (path.equals("/transfer")) {
        sendOverTlsByTransferTo(file, out, size);
      } else {
        sendOverTlsByCopyLoop(file, out);
      }
      out.flush();
    } catch (IOException e) {
      System.err.println("tls connection failed: " + e);
    }
  }

  static void sendOverTlsByCopyLoop(Path file, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    try (InputStream in = new FileInputStream(file.toFile())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    }
  }

  static void sendOverTlsByTransferTo(Path file, OutputStream out, long size) throws IOException {
    WritableByteChannel target = Channels.newChannel(out);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long position = 0;
      while (position < size) {
        position += in.transferTo(position, size - position, target);
      }
    }
  }

  private static void header(SocketChannel c, long length) throws IOException {
    writeFully(c, ByteBuffer.wrap(headerBytes(length)));
  }

  private static byte[] headerBytes(long length) {
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /** Reads the request head (up to the blank line) and returns the path. */
  private static String requestPath(SocketChannel c) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (buf.hasRemaining()) {
      if (c.read(buf) < 0) {
        break;
      }
      String head = new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1);
      if (head.contains("\r\n\r\n")) {
        break;
      }
    }
    return pathOf(new String(buf.array(), 0, buf.position(), StandardCharsets.ISO_8859_1));
  }

  private static String requestPath(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
        break;
      }
    }
    return pathOf(head.toString());
  }

  private static String pathOf(String head) {
    String[] parts = head.split(" ", 3);
    if (parts.length < 2) {
      return "/";
    }
    String p = parts[1];
    int q = p.indexOf('?');
    return q >= 0 ? p.substring(0, q) : p;
  }
}
