package dev.lookout.collector.psk;

import dev.lookout.collector.http.ListenAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PSKTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --psk-port}: OTLP/HTTP inside TLS authenticated by pre-shared keys (BouncyCastle). Each
 * connection is decrypted here and relayed to the local OTLP port, so that ingest behaves exactly
 * the same (limits, status codes, token) whichever way data arrives.
 *
 * <p>TLS 1.2 with ECDHE_PSK suites only: the key authenticates both sides and the ephemeral ECDH
 * gives forward secrecy, so a key that leaks later does not decrypt recorded traffic. BouncyCastle's
 * TLS 1.2 PSK support is its long-standing API; plain PSK suites without (EC)DHE are not offered.
 */
public final class PskListener implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PskListener.class);
  private static final int MAX_CONNECTIONS = 128;
  static final int[] CIPHER_SUITES = {
      CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
      CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
  };

  private final ServerSocket server;
  private final PskKeys keys;
  private final InetSocketAddress otlp;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lookout-psk");
    t.setDaemon(true);
    return t;
  });
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
  private final AtomicInteger rejected = new AtomicInteger();
  private volatile boolean running = true;

  public PskListener(ListenAddress address, PskKeys keys, int otlpPort) throws IOException {
    this.keys = keys;
    this.otlp = new InetSocketAddress(InetAddress.getLoopbackAddress(), otlpPort);
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(address.host(), address.port()));
    Thread accept = new Thread(this::acceptLoop, "lookout-psk-accept");
    accept.setDaemon(true);
    accept.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public int rejected() {
    return rejected.get();
  }

  private void acceptLoop() {
    while (running) {
      try {
        Socket client = server.accept();
        if (!slots.tryAcquire()) {
          client.close();
          continue;
        }
        workers.execute(() -> {
          try {
            serve(client);
          } finally {
            slots.release();
          }
        });
      } catch (IOException e) {
        if (running) {
          LOG.warn("TLS-PSK listener: accept failed: {}", e.toString());
        }
      }
    }
  }

  private void serve(Socket client) {
    String peer = String.valueOf(client.getRemoteSocketAddress());
    String[] identity = new String[1];
    try (client) {
      client.setSoTimeout(60_000);
      // Whole TLS records and responses, flushed: Nagle would add a delayed-ACK wait (~40 ms) per export.
      client.setTcpNoDelay(true);
      TlsServerProtocol tls = new TlsServerProtocol(client.getInputStream(), client.getOutputStream());
      try {
        tls.accept(new Server(identity));
      } catch (IOException e) {
        rejected.incrementAndGet();
        LOG.warn("TLS-PSK connection from {} rejected ({}): {}", peer,
            identity[0] == null ? "no PSK handshake" : "identity '" + identity[0] + "'", e.getMessage());
        return;
      }
      try (Socket upstream = new Socket()) {
        upstream.setTcpNoDelay(true);
        upstream.connect(otlp, 5000);
        Thread back = new Thread(() -> pump(upstreamIn(upstream), tls.getOutputStream()), "lookout-psk-back");
        back.setDaemon(true);
        back.start();
        pump(tls.getInputStream(), upstream.getOutputStream());
        upstream.shutdownOutput();
        back.join(60_000);
      }
      tls.close();
    } catch (IOException | InterruptedException e) {
      // the peer went away
    }
  }

  private static InputStream upstreamIn(Socket s) {
    try {
      return s.getInputStream();
    } catch (IOException e) {
      return InputStream.nullInputStream();
    }
  }

  private static void pump(InputStream in, OutputStream out) {
    byte[] buffer = new byte[16 * 1024];
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // either side closed
    }
  }

  /** The TLS server side: PSK lookup by wire identity, ECDHE_PSK suites, TLS 1.2. */
  private final class Server extends PSKTlsServer {
    Server(String[] seenIdentity) {
      super(crypto, new TlsPSKIdentityManager() {
        @Override
        public byte[] getHint() {
          return null;
        }

        @Override
        public byte[] getPSK(byte[] id) {
          seenIdentity[0] = new String(id, StandardCharsets.UTF_8);
          return keys.lookup(seenIdentity[0]);
        }
      });
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.TLSv12.only();
    }

    /** X25519, as the agent offers. */
    @Override
    public int[] getSupportedGroups() {
      return new int[] {org.bouncycastle.tls.NamedGroup.x25519};
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    workers.shutdownNow();
  }
}
