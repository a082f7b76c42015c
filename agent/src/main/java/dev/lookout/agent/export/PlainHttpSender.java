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
import java.io.OutputStream;
import java.io.BufferedInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The OTLP exporters' sender for a plain {@code http://} collector: one HTTP/1.1 exchange at a time on a
 * kept-alive socket, blocking, on the thread that exports (the agent's export thread, or the metric
 * reader's). An export is two writes (the head, then the encoded request as it is) and one read.
 *
 * <p>The SDK's JDK HttpClient sender runs every request through its own executor and the HttpClient's
 * selector and worker threads (four threads per batch on a one-core application, and their code kept
 * compiling by the JIT long after warm-up); measured on the agent-cost bench, that machinery was about
 * as much CPU as encoding the spans. {@code HttpURLConnection}, used here before, cost ~0.55 µs per
 * exported span in its own bookkeeping (a 1 ms probe read of the kept-alive connection that ends in a
 * thrown timeout, header maps, response parsing), more than writing the batch. Its behaviour is kept:
 * the status codes and I/O errors it retries, the policy's back-off, the timeouts, the headers,
 * compression, the response size limit, answers with a length or chunked. The agent's exporters set no
 * proxy, so none is used.
 */
final class PlainHttpSender implements HttpSender {

  /** The longest status or header line read from the collector. */
  private static final int MAX_LINE = 8192;

  private final InetSocketAddress address;
  /** "POST /v1/traces HTTP/1.1", the Host and Content-Type lines: the head every request starts with. */
  private final byte[] fixedHead;
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
  /** The kept-alive connection, null until the first request and after a failed or closing one. */
  private volatile Socket socket;
  private BufferedInputStream in;
  private OutputStream out;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream(256);

  PlainHttpSender(HttpSenderConfig config) {
    URI endpoint = config.getEndpoint();
    if (!"http".equalsIgnoreCase(endpoint.getScheme()) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("not an http:// endpoint: " + endpoint);
    }
    int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    String host = endpoint.getHost();
    this.address = InetSocketAddress.createUnresolved(host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
        port);
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    if (endpoint.getRawQuery() != null) {
      path += "?" + endpoint.getRawQuery();
    }
    this.fixedHead = ("POST " + path + " HTTP/1.1\r\nHost: " + endpoint.getRawAuthority() + "\r\nContent-Type: "
        + config.getContentType() + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    this.contentType = config.getContentType();
    this.compressor = config.getCompressor();
    this.timeoutMillis = millis(config.getTimeout());
    this.connectTimeoutMillis = millis(config.getConnectTimeout());
    this.headers = config.getHeadersSupplier();
    this.retryPolicy = config.getRetryPolicy();
    Predicate<IOException> predicate = retryPolicy == null ? null : retryPolicy.getRetryExceptionPredicate();
    this.retryable = predicate != null ? predicate : PlainHttpSender::retryableByDefault;
    this.maxResponseBody = config.getMaxResponseBodySize();
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

  /** One exchange on the kept-alive connection (made when there is none); on any failure it is closed. */
  private synchronized HttpResponse sendOnce(MessageWriter body) throws IOException {
    try {
      if (socket == null) {
        connect();
      }
      if (compressor != null) {
        compressed.reset();
        try (OutputStream zipped = compressor.compress(compressed)) {
          body.writeMessage(zipped);
        }
        writeHead(compressed.size(), compressor.getEncoding());
        compressed.writeTo(out);
      } else {
        writeHead(body.getContentLength(), null);
        body.writeMessage(out);
      }
      out.flush();
      return readResponse();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    InetSocketAddress resolved = new InetSocketAddress(address.getHostString(), address.getPort());
    if (resolved.isUnresolved()) {
      throw new java.net.UnknownHostException(address.getHostString());
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(resolved, connectTimeoutMillis);
      s.setSoTimeout(timeoutMillis);
      in = new BufferedInputStream(s.getInputStream(), 1024);
      out = s.getOutputStream();
      socket = s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private void writeHead(int contentLength, String encoding) throws IOException {
    head.reset();
    head.write(fixedHead);
    Map<String, List<String>> extra = headers == null ? null : headers.get();
    if (extra != null) {
      for (Map.Entry<String, List<String>> h : extra.entrySet()) {
        for (String value : h.getValue()) {
          headerLine(h.getKey(), value);
        }
      }
    }
    if (encoding != null) {
      headerLine("Content-Encoding", encoding);
    }
    headerLine("Content-Length", Integer.toString(contentLength));
    head.write('\r');
    head.write('\n');
    head.writeTo(out);
  }

  private void headerLine(String name, String value) {
    if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a line break in the header " + name); // no header of ours may end the head
    }
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    head.write(n, 0, n.length);
    head.write(':');
    head.write(' ');
    head.write(v, 0, v.length);
    head.write('\r');
    head.write('\n');
  }

  /** The status line and headers (interim 1xx answers skipped), then the body by its length, chunks, or to the end. */
  private HttpResponse readResponse() throws IOException {
    String statusLine;
    int status;
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    do {
      statusLine = line();
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.x answer: " + statusLine);
      }
      try {
        status = Integer.parseInt(statusLine.substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status line: " + statusLine);
      }
      closes = statusLine.startsWith("HTTP/1.0");
      for (String h = line(); !h.isEmpty(); h = line()) {
        int colon = h.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        if (name.equals("content-length")) {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + value);
          }
        } else if (name.equals("transfer-encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        } else if (name.equals("connection")) {
          String v = value.toLowerCase(Locale.ROOT);
          closes = v.contains("close") || (closes && !v.contains("keep-alive"));
        }
      }
    } while (status >= 100 && status < 200);
    String message = statusLine.length() > 13 ? statusLine.substring(13) : "";
    byte[] answer;
    if (chunked) {
      answer = readChunked();
    } else if (length >= 0) {
      if (length > maxResponseBody) {
        throw new IOException("the collector's answer is larger than " + maxResponseBody + " bytes");
      }
      answer = in.readNBytes((int) length);
      if (answer.length < length) {
        throw new java.io.EOFException("the collector's answer ended early");
      }
    } else if (status == 204 || status == 304) {
      answer = new byte[0];
    } else {
      answer = readToEnd();
      closes = true;
    }
    if (closes) {
      close();
    }
    return new Response(status, message, answer);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64);
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + sizeLine);
      }
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers: not used
        }
        return body.toByteArray();
      }
      if (body.size() + size > maxResponseBody) {
        throw new IOException("the collector's answer is larger than " + maxResponseBody + " bytes");
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new java.io.EOFException("the collector's answer ended early");
      }
      body.write(chunk, 0, chunk.length);
      line(); // the CRLF after the chunk
    }
  }

  private byte[] readToEnd() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64);
    byte[] chunk = new byte[512];
    for (int n; (n = in.read(chunk)) > 0; ) {
      if (body.size() + n > maxResponseBody) {
        throw new IOException("the collector's answer is larger than " + maxResponseBody + " bytes");
      }
      body.write(chunk, 0, n);
    }
    return body.toByteArray();
  }

  /** One line without its CRLF (or LF), as Latin-1; the end of the stream before it is an error. */
  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new java.io.EOFException("the collector closed the connection before its answer was complete");
      }
      if (b.length() >= MAX_LINE) {
        throw new IOException("an answer line longer than " + MAX_LINE + " bytes");
      }
      b.append((char) c);
    }
    int end = b.length();
    if (end > 0 && b.charAt(end - 1) == '\r') {
      b.setLength(end - 1);
    }
    return b.toString();
  }

  private void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
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
    Socket s = socket; // not under the lock, which a send waiting for its answer holds: closing ends that wait
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
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
