package dev.lookout.agent.embedded;

import dev.lookout.protocol.Embedding;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The collector run inside the application's JVM ({@code lookout.embedded}): {@code lookout-collector.jar}
 * in a class loader of its own whose parent is the platform loader, so the application never sees the
 * collector's Javalin, Jetty or SQLite and the collector never sees the application's classes. Only JDK
 * types cross the boundary: the collector's entry point answers an object that is an
 * {@link AutoCloseable} (stop, committing what it acknowledged) and a
 * {@code BiFunction<String, byte[], Integer>} taking an OTLP protobuf request of a signal
 * ({@code traces}, {@code logs}, {@code metrics}) into its ingest path and answering an HTTP-like status.
 *
 * <p>It starts on a thread of its own, off the application's main thread, after the application served
 * its first request (or 20 s after the agent started); everything that thread and
 * the collector's threads do is the agent's (their I/O is never counted, their classes never advised).
 */
public final class EmbeddedCollector implements AutoCloseable {

  /** The name of the embedded collector's class loader; the agent advises no class it defines. */
  public static final String LOADER_NAME = Embedding.LOADER_NAME;
  private static final String ENTRY = Embedding.ENTRY;

  private final CompletableFuture<Object> running = new CompletableFuture<>();
  private final Path jar;
  private final List<String> args;

  private EmbeddedCollector(Path jar, List<String> args) {
    this.jar = jar;
    this.args = List.copyOf(args);
  }

  /** The collector in {@code jar}, to be started with {@code args} by {@link #startAfter}. */
  public static EmbeddedCollector prepare(Path jar, List<String> args) {
    return new EmbeddedCollector(jar, args);
  }

  /**
   * Starts the collector on a new thread (made by the current thread, which must be marked as the
   * agent's so that the collector's threads inherit the mark) once {@code when} completed or
   * {@code latestMillis} passed: the collector's start (seconds of CPU on one core) does not compete
   * with the application's own start up to its first request.
   */
  public void startAfter(CompletionStage<?> when, long latestMillis) {
    Thread starter = new Thread(() -> {
      try {
        when.toCompletableFuture().get(latestMillis, TimeUnit.MILLISECONDS);
      } catch (Exception timedOutOrFailed) {
        // start anyway: an application that serves nothing yet still gets its UI
      }
      run(args.toArray(new String[0]));
    }, "lookout-embedded-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void run(String[] args) {
    try {
      if (!Files.isRegularFile(jar)) {
        throw new IOException("no collector jar at " + jar.toAbsolutePath()
            + " (lookout.embedded=true looks beside the agent jar; or give its path)");
      }
      URLClassLoader loader = new URLClassLoader(LOADER_NAME, new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
      Thread.currentThread().setContextClassLoader(loader);
      Object handle = Class.forName(ENTRY, true, loader).getMethod("start", String[].class)
          .invoke(null, (Object) args);
      if (!(handle instanceof AutoCloseable) || !(handle instanceof BiFunction)) {
        throw new IllegalStateException(ENTRY + ".start answered " + handle + ", not a collector handle");
      }
      running.complete(handle);
    } catch (java.lang.reflect.InvocationTargetException e) {
      running.completeExceptionally(e.getCause());
    } catch (Throwable t) {
      running.completeExceptionally(t);
    }
  }

  /**
   * Hands one OTLP protobuf request of {@code signal} to the collector's ingest, waiting (on the
   * agent's export thread, never an application thread) up to {@code waitSeconds} for it to be up.
   * Answers the collector's status; throws when it did not start or failed.
   */
  @SuppressWarnings("unchecked")
  public int ingest(String signal, byte[] request, long waitSeconds) throws Exception {
    Object handle = running.get(waitSeconds, TimeUnit.SECONDS);
    return ((BiFunction<String, byte[], Integer>) handle).apply(signal, request);
  }

  /** Stops the collector (its store committed and closed); nothing when it never started. */
  @Override
  public void close() throws Exception {
    Object handle = running.getNow(null);
    if (handle != null) {
      ((AutoCloseable) handle).close();
    }
  }
}
