package dev.lookout.collector.http;

import dev.lookout.collector.startup.StartupException;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;

/** Starts a server on its port, turning "address in use" into a message for the operator. */
public final class Listening {

  private Listening() {}

  public static void start(Javalin app, String host, int port, String option) {
    try {
      app.start(host, port);
    } catch (JavalinBindException e) {
      throw new StartupException("cannot listen on " + host + ":" + port + " (" + option
          + "): the address is in use or not available here", e);
    }
  }
}
