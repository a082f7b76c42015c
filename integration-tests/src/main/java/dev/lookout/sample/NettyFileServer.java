package dev.lookout.sample;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.KeyManagerFactory;

/**
 * A Netty 4.2 file server (NIO transport), nothing of Lookout in it. Plain port: {@code /transfer}
 * writes a {@link DefaultFileRegion} (Netty's zero-copy path: {@code FileChannel.transferTo}, i.e.
 * sendfile); {@code /copy} reads the file into heap buffers and writes them (a copy loop). With
 * {@code -Dtls.port=0} and a key store, a TLS port ({@link io.netty.handler.ssl.SslHandler}, JDK
 * provider) serves any path with a {@link ChunkedFile}: file regions cannot go through TLS. One event
 * loop thread serves both ports.
 * Prints {@code FILE_SIZE <n>}, {@code LISTENING_TLS <port>} and {@code LISTENING <port>}.
 */
public final class NettyFileServer {

  private NettyFileServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args.length > 0 ? args[0] : "8080");
    long size = Long.getLong("file.size", 1024 * 1024 + 123);
    Path file = Files.createTempFile("lookout-netty-sample", ".bin");
    file.toFile().deleteOnExit();
    byte[] block = new byte[64 * 1024];
    Arrays.fill(block, (byte) 'n');
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    // One event loop thread accepts and serves both ports: plain and TLS connections share a thread.
    EventLoopGroup plainGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup tlsGroup = plainGroup;
    String tlsPort = System.getProperty("tls.port");
    if (tlsPort != null) {
      SslContext ssl = SslContextBuilder.forServer(keyManagers()).sslProvider(SslProvider.JDK).build();
      int bound = bind(tlsGroup, Integer.parseInt(tlsPort), new ChannelInitializer<SocketChannel>() {
        @Override
        protected void initChannel(SocketChannel ch) {
          ChannelPipeline p = ch.pipeline();
          p.addLast(ssl.newHandler(ch.alloc()));
          p.addLast(new LineBasedFrameDecoder(8192));
          p.addLast(new ChunkedWriteHandler());
          p.addLast(new FileHandler(file, true));
        }
      });
      System.out.println("LISTENING_TLS " + bound);
    }
    int bound = bind(plainGroup, port, new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new LineBasedFrameDecoder(8192));
        ch.pipeline().addLast(new FileHandler(file, false));
      }
    });
    System.out.println("FILE_SIZE " + size);
    System.out.println("LISTENING " + bound);
  }

  private static int bind(EventLoopGroup group, int port, ChannelInitializer<SocketChannel> init)
      throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class).childHandler(init);
    return ((InetSocketAddress) b.bind("127.0.0.1", port).sync().channel().localAddress()).getPort();
  }

  private static KeyManagerFactory keyManagers() throws Exception {
    char[] password = System.getProperty("javax.net.ssl.keyStorePassword", "changeit").toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(System.getProperty("javax.net.ssl.keyStore"))) {
      ks.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password);
    return kmf;
  }

  /** Reads the request head line by line; at the blank line, answers with the file. */
  static final class FileHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final Path file;
    private final boolean tls;
    private String path;

    FileHandler(Path file, boolean tls) {
      this.file = file;
      this.tls = tls;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) throws Exception {
      String text = line.toString(StandardCharsets.ISO_8859_1);
      if (path == null) {
        String[] parts = text.split(" ");
        path = parts.length > 1 ? parts[1] : "/";
        return;
      }
      if (!text.isEmpty()) {
        return;
      }
      if (path.startsWith("/hello")) {
        ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello\n",
            StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      long size = Files.size(file);
      String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size
          + "\r\nConnection: close\r\n\r\n";
      ctx.write(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
      if (tls) {
        sendChunkedOverTls(ctx, size);
      } else if (path.startsWith("/transfer")) {
        sendFileRegion(ctx, size);
      } else {
        sendByCopyLoop(ctx);
      }
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void sendFileRegion(ChannelHandlerContext ctx, long size) {
      ctx.write(new DefaultFileRegion(file.toFile(), 0, size));
    }

    private void sendByCopyLoop(ChannelHandlerContext ctx) throws Exception {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = new FileInputStream(file.toFile())) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          ctx.write(Unpooled.wrappedBuffer(Arrays.copyOf(buffer, n)));
        }
      }
    }

    private void sendChunkedOverTls(ChannelHandlerContext ctx, long size) throws Exception {
      ctx.write(new ChunkedFile(new RandomAccessFile(file.toFile(), "r"), 0, size, 16 * 1024));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      System.err.println("connection failed: " + cause);
      ctx.close();
    }
  }
}
