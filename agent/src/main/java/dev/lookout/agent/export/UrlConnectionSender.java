package dev.lookout.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The OTLP exporters' sender for a plain {@code http://} collector: the JDK's {@link HttpURLConnection},
 * blocking, on the thread that exports (the agent's export thread, or the metric reader's). One
 * request is one write and one read on a kept-alive connection; no thread is handed the work.
 *
 * <p>The SDK's JDK HttpClient sender runs every request through its own executor and the HttpClient's
 * selector and worker threads (four threads per batch on a one-core application, and their code kept
 * compiling by the JIT long after warm-up); measured on the agent-cost bench, that machinery was about
 * as much CPU as encoding the spans. Its behaviour is kept: the status codes and I/O errors it retries,
 * the policy's back-off, the timeouts, the headers, compression and the response size limit.
 */
final class UrlConnectionSender implements HttpSender {

  private static final Authenticator NO_CREDENTIALS = new Authenticator() {};

  private final URL url;
  private final Proxy proxy;
  private final String contentType;
  private final Compressor compressor;
  private final int timeoutMillis;
  private final int connectTimeoutMillis;
  private final Supplier<Map<String, List<String>>> headers;
  private final RetryPolicy retryPolicy;
  private final Predicate<IOException> retryable;
  private final long maxResponseBody;
  /** Where a compressed body is built (its length must be known before it is sent). */
  private final ByteArrayOutputStream compressed = new ByteArrayOutputStream(1024);
  /** Set when the exporter shuts down: no retry after the attempt in course, a back-off wait ends at once. */
  private volatile boolean shutdown;
  private final Object backoff = new Object();

  UrlConnectionSender(HttpSenderConfig config) {
    URI endpoint = config.getEndpoint();
    try {
      this.url = endpoint.toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + endpoint, e);
    }
    this.proxy = proxy(config, endpoint);
    this.contentType = config.getContentType();
    this.compressor = config.getCompressor();
    this.timeoutMillis = millis(config.getTimeout());
    this.connectTimeoutMillis = millis(config.getConnectTimeout());
    this.headers = config.getHeadersSupplier();
    this.retryPolicy = config.getRetryPolicy();
    Predicate<IOException> predicate = retryPolicy == null ? null : retryPolicy.getRetryExceptionPredicate();
    this.retryable = predicate != null ? predicate : UrlConnectionSender::retryableByDefault;
    this.maxResponseBody = config.getMaxResponseBodySize();
  }

  private static Proxy proxy(HttpSenderConfig config, URI endpoint) {
    if (config.getProxyOptions() == null) {
      return Proxy.NO_PROXY; // as the SDK's own sender: the application's proxy settings are not the agent's
    }
    List<Proxy> proxies = config.getProxyOptions().getProxySelector().select(endpoint);
    return proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
  }

  private static int millis(Duration d) {
    return d == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
  }

  @Override
  public void send(MessageWriter body, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    HttpResponse response;
    try {
      response = sendWithRetries(body);
    } catch (IOException | RuntimeException e) {
      onError.accept(e);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      onError.accept(e);
      return;
    }
    onResponse.accept(response);
  }

  private HttpResponse sendWithRetries(MessageWriter body) throws IOException, InterruptedException {
    int attempts = retryPolicy == null ? 1 : Math.max(1, retryPolicy.getMaxAttempts());
    long backoffNanos = retryPolicy == null ? 0 : retryPolicy.getInitialBackoff().toNanos();
    boolean staleRetried = false;
    for (int attempt = 1; ; attempt++) {
      HttpResponse response = null;
      IOException failure = null;
      try {
        response = sendOnce(body);
        if (attempt >= attempts || !retryableStatus(response.getStatusCode()) || shutdown) {
          return response;
        }
      } catch (IOException e) {
        if (!staleRetried && attempt == 1 && !(e instanceof java.net.SocketTimeoutException)
            && !(e instanceof java.net.ConnectException)) {
          staleRetried = true; // a kept-alive connection the server had closed: once more, at once
          attempt--;
          continue;
        }
        if (attempt >= attempts || !retryable.test(e) || shutdown) {
          throw e;
        }
        failure = e;
      }
      // the SDK's policy: a random wait up to the back-off, which grows by the multiplier up to its cap
      long waitMillis = Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, backoffNanos))).toMillis();
      synchronized (backoff) {
        if (!shutdown && waitMillis > 0) {
          backoff.wait(waitMillis);
        }
      }
      if (shutdown) { // the exporter is shutting down: what the last attempt said stands
        if (failure != null) {
          throw failure;
        }
        return response;
      }
      backoffNanos = Math.min((long) (backoffNanos * retryPolicy.getBackoffMultiplier()),
          retryPolicy.getMaxBackoff().toNanos());
    }
  }

  private HttpResponse sendOnce(MessageWriter body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection(proxy);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setUseCaches(false);
    c.setInstanceFollowRedirects(false);
    c.setAuthenticator(NO_CREDENTIALS); // never the application's credentials, whatever the collector asks
    c.setConnectTimeout(connectTimeoutMillis);
    c.setReadTimeout(timeoutMillis);
    c.setRequestProperty("Content-Type", contentType);
    Map<String, List<String>> extra = headers == null ? null : headers.get();
    if (extra != null) {
      extra.forEach((name, values) -> values.forEach(v -> c.addRequestProperty(name, v)));
    }
    if (compressor != null) {
      sendCompressed(c, body);
    } else {
      c.setFixedLengthStreamingMode(body.getContentLength());
      try (OutputStream out = c.getOutputStream()) {
        body.writeMessage(out);
      }
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] answer = in == null ? new byte[0] : readAll(in); // read to the end: the connection is kept alive
    return new Response(status, c.getResponseMessage(), answer);
  }

  private void sendCompressed(HttpURLConnection c, MessageWriter body) throws IOException {
    synchronized (compressed) {
      compressed.reset();
      try (OutputStream out = compressor.compress(compressed)) {
        body.writeMessage(out);
      }
      c.setRequestProperty("Content-Encoding", compressor.getEncoding());
      c.setFixedLengthStreamingMode(compressed.size());
      try (OutputStream out = c.getOutputStream()) {
        compressed.writeTo(out);
      }
    }
  }

  private byte[] readAll(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64);
      byte[] chunk = new byte[512];
      long total = 0;
      for (int n; (n = in.read(chunk)) > 0; ) {
        total += n;
        if (total > maxResponseBody) {
          throw new IOException("the collector's answer is larger than " + maxResponseBody + " bytes");
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static boolean retryableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** As the SDK's JDK sender: any I/O error but TLS's. */
  private static boolean retryableByDefault(IOException e) {
    return !(e instanceof javax.net.ssl.SSLException);
  }

  /** No retry from now on; a back-off wait in course ends at once (the JVM is exiting, say). */
  void stopRetrying() {
    shutdown = true;
    synchronized (backoff) {
      backoff.notifyAll();
    }
  }

  @Override
  public CompletableResultCode shutdown() {
    stopRetrying();
    return CompletableResultCode.ofSuccess();
  }

  private static final class Response implements HttpResponse {
    private final int status;
    private final String message;
    private final byte[] body;

    Response(int status, String message, byte[] body) {
      this.status = status;
      this.message = message == null ? "" : message;
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return message;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
