package io.opentelemetry.exporter.sender.jdk.internal;

import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import java.net.http.HttpClient;

/**
 * Lookout's one door into the SDK's JDK HttpClient sender: a sender on a client the caller made
 * (JdkHttpSender's own constructor for that is package-private). Shading relocates this class with
 * the SDK, so it stays in the sender's package inside the agent jar.
 */
public final class SharedClientSender {

  private SharedClientSender() {}

  /** The SDK's sender for {@code config}, sending through {@code client}. */
  public static HttpSender create(HttpClient client, HttpSenderConfig config) {
    return new JdkHttpSender(client, config.getEndpoint(), config.getContentType(), config.getCompressor(),
        config.getTimeout(), config.getHeadersSupplier(), config.getRetryPolicy(), config.getExecutorService(),
        config.getMaxResponseBodySize());
  }
}
