package dev.lookout.agent.export;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.exporter.sender.jdk.internal.SharedClientSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.util.List;

/**
 * The senders of the agent's OTLP exporters when the collector is reached over plain {@code http://}
 * (directly or through the local end of the PSK tunnel): the SDK's JDK HttpClient sender, on a client
 * built without TLS. The SDK's own sender builds its client with no TLS context for an http endpoint,
 * so the client takes {@link SSLContext#getDefault()}: the JSSE provider, the JDK's trust store and a
 * probe socket, all loaded into the application's JVM at startup (0.4 s of CPU on one core, plus the
 * advice woven into the TLS classes it loads) for connections that never use TLS. Handed to the
 * exporter builders as their component loader, so this is the only sender provider they find.
 */
final class PlainHttp implements ComponentLoader {

  private final ComponentLoader others = ComponentLoader.forClassLoader(PlainHttp.class.getClassLoader());
  private final HttpSenderProvider senders = config -> SharedClientSender.create(client(config), config);

  private static HttpClient client(HttpSenderConfig config) {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .sslContext(new SSLContext(new NoTls(), null, "none") {})
        .sslParameters(new SSLParameters());
    if (config.getConnectTimeout() != null) {
      builder.connectTimeout(config.getConnectTimeout());
    }
    return builder.build();
  }

  @Override
  public <T> Iterable<T> load(Class<T> spi) {
    return spi == HttpSenderProvider.class ? List.of(spi.cast(senders)) : others.load(spi);
  }

  /** A context that cannot make a TLS connection: any attempt fails with a clear message. */
  private static final class NoTls extends SSLContextSpi {
    static final String WHY = "lookout: the collector is configured with an http:// address, TLS is not set up";

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
      throw new KeyManagementException(WHY);
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      throw new UnsupportedOperationException(WHY);
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return new SSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return new SSLParameters();
    }
  }
}
