package dev.lookout.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sample application in its own JVM, with or without the agent; it prints {@code LISTENING <port>}. */
public final class AppProcess extends ForkedProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int port;

  private AppProcess(List<String> command) {
    this(command, false);
  }

  private AppProcess(List<String> command, boolean stderrApart) {
    super("app", command, stderrApart);
    String line = awaitLine(l -> l.startsWith("LISTENING "), Duration.ofSeconds(60));
    this.port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
  }

  /** Starts {@code appJar} on {@code jdk}; {@code agentArgs} null means no agent at all. */
  public static AppProcess start(Path jdk, Path appJar, String agentArgs, String... jvmArgs) {
    return startUnder(List.of(), jdk, appJar, agentArgs, jvmArgs);
  }

  /** As {@link #start}, stderr kept apart from stdout ({@link #stderr()}). */
  public static AppProcess startStderrApart(Path jdk, Path appJar, String agentArgs, String... jvmArgs) {
    return new AppProcess(command(List.of(), jdk, appJar, agentArgs, jvmArgs), true);
  }

  /**
   * The same, the JVM started by {@code wrapper} (say, {@code strace -f -o log --}), which then sees it
   * from its first instruction. Closing stops the JVM as well as the wrapper.
   */
  public static AppProcess startUnder(List<String> wrapper, Path jdk, Path appJar, String agentArgs,
      String... jvmArgs) {
    return new AppProcess(command(wrapper, jdk, appJar, agentArgs, jvmArgs));
  }

  private static List<String> command(List<String> wrapper, Path jdk, Path appJar, String agentArgs,
      String... jvmArgs) {
    List<String> command = new ArrayList<>(wrapper);
    command.add(Jars.javaOf(jdk));
    if (agentArgs != null) {
      command.add("-javaagent:" + Jars.agent() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    command.addAll(List.of(jvmArgs));
    command.add("-jar");
    command.add(appJar.toString());
    command.add("0");
    return command;
  }

  @Override
  public void close() {
    // a wrapper (strace) may leave the JVM running when it is stopped itself: stop the JVM first
    ProcessHandle.of(pid()).ifPresent(p -> p.descendants().forEach(ProcessHandle::destroy));
    super.close();
  }

  public int port() {
    return port;
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
  }

  /** A GET with extra headers, given as name, value, name, value… */
  public HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).headers(headers).GET());
  }

  public HttpResponse<String> post(String pathAndQuery, String body, String contentType) {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
