package dev.lookout.collector.http;

import dev.lookout.collector.startup.StartupException;
import io.javalin.Javalin;
import io.javalin.util.JavalinBindException;

/** Starts a server on its port, turning "address in use" into a message for the operator. */
public final class Listening {

  private Listening() {}

  public static void start(Javalin app, ListenAddress address) {
    try {
      app.start(address.host(), address.port());
    } catch (JavalinBindException e) {
      throw new StartupException(address.unavailable(""), e);
    }
  }
}
