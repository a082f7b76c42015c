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
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * A plain NIO file server, no framework and nothing of Lookout in it: a blocking
 * {@link ServerSocketChannel}, one thread per connection, just enough HTTP/1.1 to serve one file
 * per connection, in several ways:
 *
 * <ul>
 *   <li>{@code /transfer}: {@link FileChannel#transferTo} straight into the socket channel (sendfile);
 *   <li>{@code /copy}: a stream copy loop through a heap buffer (a zero-copy candidate);
 *   <li>{@code /channel}: transferTo into a wrapping channel the JDK cannot send to directly (fallback);
 *   <li>{@code /file-copy}: transferTo into another file (sendfile, or copy_file_range from JDK 21);
 *   <li>with {@code -Dtls.port=0} and a key store ({@code javax.net.ssl.keyStore}), the same paths over TLS
 *       on an {@code SSLServerSocket} ({@code /copy} and {@code /transfer}: both end up encrypting in the heap).
 * </ul>
 *
 * Prints {@code LISTENING <port>} (and {@code LISTENING_TLS <port>}). The served file is
 * {@code -Dfile.size} bytes (default 1 MiB + 123), printed as {@code FILE_SIZE <n>}.
 */
public final class NioFileServer {

  private NioFileServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args.length > 0 ? args[0] : "8080");
    long size = Long.getLong("file.size", 1024 * 1024 + 123);
    Path file = Files.createTempFile("lookout-nio-sample", ".bin");
    file.toFile().deleteOnExit();
    writeFile(file, size);
    String tlsPort = System.getProperty("tls.port");
    if (tlsPort != null) {
      SSLServerSocket tls = (SSLServerSocket) SSLServerSocketFactory.getDefault()
          .createServerSocket(Integer.parseInt(tlsPort));
      Thread t = new Thread(() -> acceptTls(tls, file), "tls-acceptor");
      t.setDaemon(true);
      t.start();
      System.out.println("LISTENING_TLS " + tls.getLocalPort());
    }
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port));
    System.out.println("FILE_SIZE " + size);
    System.out.println("LISTENING " + ((InetSocketAddress) server.getLocalAddress()).getPort());
    while (true) {
      SocketChannel client = server.accept();
      Thread worker = new Thread(() -> serve(client, file), "nio-conn");
      worker.start();
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
          sendByCopyLoop(file, c);
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

  static void sendByCopyLoop(Path file, SocketChannel socket) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = new FileInputStream(file.toFile())) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        writeFully(socket, ByteBuffer.wrap(buffer, 0, n));
      }
    }
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

  private static void acceptTls(SSLServerSocket server, Path file) {
    while (true) {
      try {
        Socket s = server.accept();
        Thread worker = new Thread(() -> serveTls(s, file), "tls-conn");
        worker.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serveTls(Socket socket, Path file) {
    try (Socket s = socket) {
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
    byte[] buffer = new byte[16 * 1024];
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
