package dev.lookout.agent;

import dev.lookout.agent.bootstrap.BodyHooks;
import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.LogHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.export.RecordExporter;
import dev.lookout.agent.export.StartupBuffer;
import dev.lookout.agent.export.TelemetryPipeline;
import dev.lookout.agent.instrument.AdviceClasses;
import dev.lookout.agent.instrument.ClassGate;
import dev.lookout.agent.instrument.WeaveCache;
import dev.lookout.agent.instrument.Weaver;
import dev.lookout.agent.instrument.io.IoInstrumentation;
import dev.lookout.agent.instrument.jdk.JdkInstrumentation;
import dev.lookout.agent.io.IoRecorder;
import dev.lookout.agent.instrument.logging.LoggingInstrumentation;
import dev.lookout.agent.instrument.servlet.BodyInstrumentation;
import dev.lookout.agent.instrument.servlet.ContainerInstrumentation;
import dev.lookout.agent.instrument.servlet.ServletInstrumentation;
import dev.lookout.agent.logs.LogCapture;
import dev.lookout.agent.record.RecordSink;
import dev.lookout.agent.redact.Redactor;
import dev.lookout.agent.trace.BodyCapture;
import dev.lookout.agent.config.Voice;
import dev.lookout.agent.trace.RequestObserver;
import dev.lookout.agent.trace.ServerSpans;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Wires the pipeline and installs the advice; runs after the bridge classes reached the bootstrap loader. */
final class AgentInstaller {

  /** The pipeline is built once the application served its first request, or this long after premain. */
  static final long PIPELINE_LATEST_MILLIS = 5_000;
  /** After the first request, how long the pipeline waits so that the response leaves first. */
  static final long PIPELINE_AFTER_FIRST_MILLIS = 100;
  /** At exit, how long the agent waits for a pipeline still being built. */
  static final long PIPELINE_AT_EXIT_MILLIS = 1_500;

  private AgentInstaller() {}

  /**
   * Installs the advice and the hooks at once, recording into a {@link StartupBuffer}, and builds the
   * export pipeline later on its own thread, so that the application's start does not wait for it.
   */
  static void install(AgentConfig config, Instrumentation inst, boolean attached) {
    ClassLoader agentLoader = AgentInstaller.class.getClassLoader();
    DiagnosticListener listener = new DiagnosticListener(config.debug());
    // The Nexus (for LoadedTypeInitializer) is not used here, and merely looking for it touches
    // sun.misc.Unsafe, which prints warnings from JDK 24 on. Shading relocates this property name
    // together with ByteBuddy, so only the agent's own copy sees it, never the application's.
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    List<String> classes = new ArrayList<>(ContainerInstrumentation.CLASSES);
    classes.addAll(LoggingInstrumentation.CLASSES);
    List<String> markers = new ArrayList<>(ServletInstrumentation.MARKERS);
    markers.addAll(LoggingInstrumentation.MARKERS);
    if (config.captureBodies()) {
      markers.addAll(BodyInstrumentation.MARKERS);
    }
    WeaveCache cache = openWeaveCache(config);
    // Names only: a modifier check (isSynthetic) would parse every class the application loads.
    Weaver weaver = new Weaver(ClassGate.of(classes, markers), listener, AdviceClasses.of(agentLoader),
        "net.bytebuddy.", "dev.lookout.agent.", "dev.lookout.shaded.", "java.", "jdk.", "sun.", "com.sun.", "kotlin.");
    ServletInstrumentation.apply(weaver, agentLoader);
    ContainerInstrumentation.apply(weaver, agentLoader);
    LoggingInstrumentation.apply(weaver);
    if (config.captureBodies()) {
      BodyInstrumentation.apply(weaver);
    }
    weaver.cache(cache);
    // At premain no application class is loaded yet: scanning loaded classes would only cost time.
    weaver.install(inst, attached ? weaver.matchingLoaded(inst.getAllLoadedClasses()) : null);
    // Log and uncaught-exception advice asks IoHooks whether the thread is the agent's: initialized here,
    // never first from inside advice.
    IoHooks.prepare();
    JdkInstrumentation.install(inst, agentLoader, listener, cache, config.logsLevel() <= LogHooks.ERROR);
    IoRecorder io = null;
    if (config.ioEnabled()) {
      // Counting before premain returns: a transfer the application makes while the pipeline is still
      // being built is kept and reported once it is attached, not lost.
      io = new IoRecorder(config.integer("io.flush.ms", 5_000));
      IoHooks.install(io);
      IoInstrumentation.install(inst, agentLoader, listener, cache);
    }

    // Recording starts here, before the application's main: a record made before the pipeline exists
    // waits in the start-up buffer (a log line main writes at once and exits after included).
    StartupBuffer early = new StartupBuffer(config.bufferMax(), config.bufferBytes());
    RequestObserver[] observers = {};
    if (io != null) {
      observers = new RequestObserver[] {io};
    }
    BodyCapture bodies = null;
    if (config.captureBodies()) {
      bodies = new BodyCapture(config.bodyMax(), new Redactor(config.redactHeaders(), config.redactParams()));
      observers = Arrays.copyOf(observers, observers.length + 1);
      observers[observers.length - 1] = bodies;
    }
    BodyHooks.install(bodies);
    LogHooks.mdc = config.logsMdc();
    installHooks(config, early, observers);

    IoRecorder recorder = io;
    RequestObserver[] observing = observers;
    CompletableFuture<TelemetryPipeline> started = new CompletableFuture<>();
    Thread init = new Thread(() -> {
      startPipeline(config, recorder, observing, early, started);
      if (cache != null) {
        cache.prune();
      }
    }, "lookout-init");
    init.setDaemon(true);
    init.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopPipeline(early, started), "lookout-shutdown"));
  }

  /**
   * The cache of woven classes ({@link WeaveCache}) where {@code lookout.weave.cache} says, or null: none
   * configured, the agent not run from its jar, or the directory not usable (named when it was configured).
   */
  private static WeaveCache openWeaveCache(AgentConfig config) {
    java.nio.file.Path root = config.weaveCache();
    if (root == null) {
      return null;
    }
    try {
      java.nio.file.Path jar = java.nio.file.Path.of(
          AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!java.nio.file.Files.isRegularFile(jar)) {
        return null; // classes from a directory (the agent's own tests): no build to key the entries on
      }
      return WeaveCache.open(root, jar);
    } catch (Exception e) {
      if (config.weaveCacheGiven()) {
        Voice.say("warning: lookout.weave.cache not used: " + e);
      } else if (config.debug()) {
        Voice.debug("weave cache not used: " + e);
      }
      return null;
    }
  }

  /**
   * Builds the export pipeline once the application served its first request (or after
   * {@link #PIPELINE_LATEST_MILLIS}) and hands it what the {@link StartupBuffer} holds: built earlier,
   * on one core, it would take its ~0.2 s of CPU from the application's start.
   */
  private static void startPipeline(AgentConfig config, IoRecorder io, RequestObserver[] observers,
      StartupBuffer early, CompletableFuture<TelemetryPipeline> started) {
    IoHooks.ownThread();
    TelemetryPipeline pipeline = null;
    try {
      if (early.awaitFirstSpan(PIPELINE_LATEST_MILLIS)) {
        Thread.sleep(PIPELINE_AFTER_FIRST_MILLIS); // the first response leaves before the pipeline's work starts
      }
      pipeline = TelemetryPipeline.startAsAgent(config);
      RecordExporter sink = pipeline.sink();
      if (io != null) {
        io.attach(sink, pipeline.meter("dev.lookout.agent.io"));
        io.startFlusher();
      }
      early.handOver(sink);
      installHooks(config, sink, observers);
      started.complete(pipeline);
    } catch (Throwable t) {
      started.completeExceptionally(t);
      if (pipeline == null && io != null) {
        IoHooks.install(null); // nowhere to report: stop counting rather than keep what never leaves
      }
      if (t instanceof InterruptedException) {
        return;
      }
      if (config.debug()) {
        Voice.debug("pipeline did not start: " + t);
      } else if (!(t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("psk"))) {
        // a PSK key or identity problem was named already, with the configuration's problems
        Voice.say("warning: nothing is exported: " + t);
      }
    }
  }

  private static void installHooks(AgentConfig config, RecordSink sink, RequestObserver[] observers) {
    ServletHooks.install(new ServerSpans(sink, config.ignorePathFilter(), observers), config.captureHeaders());
    LogHooks.install(new LogCapture(sink), config.logsLevel());
  }

  /**
   * At exit: the pipeline is built now if it was not yet (waited for at most
   * {@link #PIPELINE_AT_EXIT_MILLIS}), and what was recorded is flushed within its bound.
   */
  private static void stopPipeline(StartupBuffer early, CompletableFuture<TelemetryPipeline> started) {
    early.startNow();
    try {
      started.get(PIPELINE_AT_EXIT_MILLIS, TimeUnit.MILLISECONDS).shutdownWithin(TelemetryPipeline.SHUTDOWN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // no pipeline: nothing can leave
    }
  }

  /** Silent unless {@code lookout.debug=true}: the application's console is not ours. */
  static final class DiagnosticListener implements Weaver.Listener {
    private final boolean debug;

    DiagnosticListener(boolean debug) {
      this.debug = debug;
    }

    @Override
    public void woven(String className) {
      if (debug) {
        System.err.println("[lookout] instrumented " + className);
      }
    }

    @Override
    public void cached(String className) {
      if (debug) {
        System.err.println("[lookout] instrumented " + className + " (as cached)");
      }
    }

    @Override
    public void failed(String className, Throwable error) {
      if (debug) {
        System.err.println("[lookout] could not instrument " + className + ": " + error);
      }
    }
  }
}
