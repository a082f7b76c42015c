package dev.lookout.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain Jetty 12 (jakarta) application with nothing of Lookout in it: the agent is attached
 * from outside. Prints {@code LISTENING <port>} once it serves (port 0 picks a free one).
 */
public final class JettySampleApp {

  private static final Logger LOG = Logger.getLogger(JettySampleApp.class.getName());

  private JettySampleApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args.length > 0 ? args[0] : System.getProperty("port", "8080"));
    Server server = new Server(port);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
    context.addServlet(new ServletHolder(new StatusServlet()), "/status/*");
    context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
    context.addServlet(new ServletHolder(new ItemsServlet()), "/api/items/*");
    context.addServlet(new ServletHolder(new ChattyServlet()), "/log");
    server.setHandler(context);
    server.start();
    System.out.println("LISTENING " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    server.join();
  }

  /** 200 with a short text body. */
  static final class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("hello");
    }
  }

  /** Answers with the status named in the path: {@code /status/404}. */
  static final class StatusServlet extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String info = req.getPathInfo() == null ? "/200" : req.getPathInfo();
      int status;
      try {
        status = Integer.parseInt(info.substring(1));
      } catch (NumberFormatException e) {
        status = 400;
      }
      resp.setStatus(status);
      resp.setContentType("text/plain");
      resp.getWriter().write("status " + status);
    }
  }

  /** Throws out of the servlet: the container answers 500. */
  static final class FailingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      LOG.warning("about to fail");
      throw new IllegalStateException("boom: the sample failed on purpose");
    }
  }

  /** Logs {@code n} INFO lines through JUL (default 20), as a chatty application does. */
  static final class ChattyServlet extends HttpServlet {
    private static final Logger CHATTY = Logger.getLogger("dev.lookout.sample.Chatty");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String n = req.getParameter("n");
      int lines = n == null ? 20 : Math.min(1000, Integer.parseInt(n));
      for (int i = 0; i < lines; i++) {
        CHATTY.info("line " + i + " of a chatty request");
      }
      resp.setContentType("text/plain");
      resp.getWriter().write("logged " + lines);
    }
  }

  /** A small JSON endpoint; POST echoes the id it was given. */
  static final class ItemsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String id = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
      resp.setContentType("application/json");
      resp.getWriter().write("{\"id\":\"" + id.replaceAll("[^A-Za-z0-9_-]", "") + "\",\"name\":\"item\"}");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] body = req.getInputStream().readAllBytes();
      resp.setStatus(201);
      resp.setContentType("application/json");
      resp.getWriter().write("{\"received\":" + body.length + "}");
    }
  }
}
