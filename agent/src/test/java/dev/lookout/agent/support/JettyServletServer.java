package dev.lookout.agent.support;

import jakarta.servlet.http.HttpServlet;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 server on a free loopback port, serving one servlet at one path, for a test's duration. */
public final class JettyServletServer implements AutoCloseable {

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  private JettyServletServer(String path, HttpServlet servlet) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(servlet), path);
    server.setHandler(context);
    server.start();
  }

  public static JettyServletServer start(String path, HttpServlet servlet) throws Exception {
    return new JettyServletServer(path, servlet);
  }

  public int port() {
    return connector.getLocalPort();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
