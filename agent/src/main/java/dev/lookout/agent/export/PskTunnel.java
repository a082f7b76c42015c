package dev.lookout.agent.export;

import dev.lookout.protocol.PskIdentity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.tls.BasicTlsPSKIdentity;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PSKTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * {@code psk://host:port}: the exporters speak plain OTLP/HTTP to this tunnel on the loopback
 * interface, and the tunnel carries each connection to the collector inside TLS 1.2 with an
 * ECDHE_PSK suite (BouncyCastle), authenticated by the pre-shared key on both ends. The key never
 * leaves the JVM; only the identity and the key's id ({@code identity:sha256(key)[0..8]}, see {@link PskIdentity}) do.
 */
final class PskTunnel {

  private static final int[] CIPHER_SUITES = {
      CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
      CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
      CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
  };

  private final ServerSocket local;
  private final InetSocketAddress collector;
  private final String wireIdentity;
  private final byte[] key;
  private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

  PskTunnel(String hostPort, String identity, byte[] key) throws IOException {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) {
      throw new IOException("psk:// needs host:port, got '" + hostPort + "'");
    }
    this.collector = InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
        Integer.parseInt(hostPort.substring(colon + 1)));
    this.wireIdentity = PskIdentity.onTheWire(identity, key);
    this.key = key.clone();
    this.local = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "lookout-psk-tunnel");
    accept.setDaemon(true);
    accept.start();
  }

  /** Where the exporters send their plain OTLP/HTTP. */
  String localUrl() {
    return "http://127.0.0.1:" + local.getLocalPort();
  }

  private void acceptLoop() {
    while (!local.isClosed()) {
      try {
        Socket plain = local.accept();
        Thread t = new Thread(() -> carry(plain), "lookout-psk-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // closed, or a failed accept: the exporter retries
      }
    }
  }

  private void carry(Socket plain) {
    try (plain; Socket remote = new Socket()) {
      // Each pump write is a whole request or TLS record, flushed: Nagle would hold its last
      // segment until the peer's delayed ACK, some 40 ms per export round trip.
      plain.setTcpNoDelay(true);
      remote.setTcpNoDelay(true);
      remote.connect(new InetSocketAddress(collector.getHostString(), collector.getPort()), 5000);
      TlsClientProtocol tls = new TlsClientProtocol(remote.getInputStream(), remote.getOutputStream());
      tls.connect(new Client());
      Thread back = new Thread(() -> pump(tls.getInputStream(), output(plain)), "lookout-psk-back");
      back.setDaemon(true);
      back.start();
      pump(plain.getInputStream(), tls.getOutputStream());
      tls.close();
      back.join(30_000);
    } catch (IOException | InterruptedException e) {
      // the exporter sees a closed connection and retries with backoff
    }
  }

  private static OutputStream output(Socket s) {
    try {
      return s.getOutputStream();
    } catch (IOException e) {
      return OutputStream.nullOutputStream();
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

  /** The TLS client side: our identity and key, ECDHE_PSK suites only, TLS 1.2. */
  private final class Client extends PSKTlsClient {
    Client() {
      super(crypto, new BasicTlsPSKIdentity(wireIdentity.getBytes(StandardCharsets.UTF_8), key));
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.TLSv12.only();
    }

    /** X25519 only: it needs no other curve code, which keeps the agent jar small. */
    @Override
    protected java.util.Vector getSupportedGroups(java.util.Vector namedGroupRoles) {
      java.util.Vector<Integer> groups = new java.util.Vector<>();
      groups.add(org.bouncycastle.tls.NamedGroup.x25519);
      return groups;
    }
  }
}
