package dev.lookout.agent.export;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The senders of the agent's OTLP exporters when the collector is reached over plain {@code http://}
 * (directly or through the local end of the PSK tunnel): {@link PlainHttpSender}, which sends on
 * the exporting thread. Besides the threads it saves, no TLS stack is loaded: the SDK's JDK sender
 * builds an HttpClient, which takes {@code SSLContext.getDefault()} even for an http endpoint (the JSSE
 * provider, the JDK's trust store and a probe socket: 0.4 s of CPU on one core at startup, plus the
 * advice woven into the TLS classes it loads). Handed to the exporter builders as their component
 * loader, so this is the only sender provider they find; https endpoints keep the SDK's own sender.
 */
final class PlainHttp implements ComponentLoader {

  private final ComponentLoader others = ComponentLoader.forClassLoader(PlainHttp.class.getClassLoader());
  /** Every sender made, so that an exit can stop their retries at once. */
  private final List<PlainHttpSender> made = new CopyOnWriteArrayList<>();
  private final HttpSenderProvider senders = config -> {
    PlainHttpSender sender = new PlainHttpSender(config);
    made.add(sender);
    return sender;
  };

  /** Stops every sender's retries: what is sent from now on is tried once. */
  void stopRetrying() {
    made.forEach(PlainHttpSender::stopRetrying);
  }

  @Override
  public <T> Iterable<T> load(Class<T> spi) {
    return spi == HttpSenderProvider.class ? List.of(spi.cast(senders)) : others.load(spi);
  }
}
