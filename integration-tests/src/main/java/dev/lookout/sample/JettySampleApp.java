package dev.lookout.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.ServletOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.logging.Logger;
import org.eclipse.jetty.ee10.servlet.ResourceServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A plain Jetty 12 (jakarta) application with nothing of Lookout in it: the agent is attached
 * from outside. Prints {@code LISTENING <port>} once it serves (port 0 picks a free one).
 *
 * <p>One file ({@code report.bin}, {@code -Dfile.size} bytes, default 256 KiB) is served four ways, so the
 * Zero-copy view has each verdict to show:
 * <ul>
 *   <li>{@code /files/zero-copy}: {@code FileChannel.transferTo} straight into the connection's socket
 *       channel (sendfile); Jetty 12 itself has no sendfile path, so the servlet commits the response head
 *       through Jetty and sends the body on the raw channel.
 *   <li>{@code /files/stream}: {@code transferTo} into {@code Channels.newChannel(servletOutputStream)}: the
 *       JDK cannot send to that channel and copies through a heap buffer (fallback).
 *   <li>{@code /files/copy-loop}: {@code FileInputStream} into a {@code byte[]} into the servlet output
 *       stream (a candidate for transferTo).
 *   <li>{@code /static/report.bin}: Jetty's own {@code ResourceServlet}.
 *   <li>{@code /async}: async, completed by another thread 50 ms later with a 202;
 *       {@code /async-dispatch}: async, dispatched back to the container 30 ms later, which answers 200.
 * </ul>
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
    context.addServlet(new ServletHolder(new LoadClassServlet()), "/load-class");
    context.addServlet(new ServletHolder(new FailingServlet()), "/boom");
    context.addServlet(new ServletHolder(new ItemsServlet()), "/api/items/*");
    context.addServlet(new ServletHolder(new ChattyServlet()), "/log");
    context.addServlet(new ServletHolder(new SlowReportServlet()), "/api/reports/*");
    Path files = Files.createTempDirectory("lookout-sample-files");
    Path report = files.resolve("report.bin");
    byte[] data = new byte[Integer.getInteger("file.size", 256 * 1024)];
    new Random(12).nextBytes(data);
    Files.write(report, data);
    context.addServlet(new ServletHolder(new ZeroCopyServlet(report)), "/files/zero-copy");
    context.addServlet(new ServletHolder(new StreamTransferServlet(report)), "/files/stream");
    context.addServlet(new ServletHolder(new CopyLoopServlet(report)), "/files/copy-loop");
    ServletHolder resources = new ServletHolder("static", ResourceServlet.class);
    resources.setInitParameter("baseResource", files.toUri().toString());
    resources.setInitParameter("pathInfoOnly", "true");
    resources.setInitParameter("dirAllowed", "false");
    context.addServlet(resources, "/static/*");
    ServletHolder async = new ServletHolder(new AsyncServlet());
    async.setAsyncSupported(true);
    context.addServlet(async, "/async");
    ServletHolder asyncDispatch = new ServletHolder(new AsyncDispatchServlet());
    asyncDispatch.setAsyncSupported(true);
    context.addServlet(asyncDispatch, "/async-dispatch");
    server.setHandler(context);
    server.start();
    System.out.println("FILE_SIZE " + data.length);
    System.out.println("LISTENING " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    server.join();
  }

  /** Async: another thread answers 202 and completes the request 50 ms later. */
  static final class AsyncServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      jakarta.servlet.AsyncContext async = req.startAsync();
      new Thread(() -> {
        try {
          Thread.sleep(50);
          HttpServletResponse r = (HttpServletResponse) async.getResponse();
          r.setStatus(202);
          r.setContentType("text/plain");
          r.getWriter().write("accepted");
        } catch (InterruptedException | IOException e) {
          Thread.currentThread().interrupt();
        } finally {
          async.complete();
        }
      }, "sample-async").start();
    }
  }

  /** Async, dispatched back to the container 30 ms later: the second pass answers 200. */
  static final class AsyncDispatchServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
        resp.setContentType("text/plain");
        resp.getWriter().write("dispatched");
        return;
      }
      jakarta.servlet.AsyncContext async = req.startAsync();
      new Thread(() -> {
        try {
          Thread.sleep(30);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        async.dispatch();
      }, "sample-async-dispatch").start();
    }
  }

  /** 200 with a short text body. */
  static final class HelloServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().write("hello");
    }
  }

  /** Whether the application can see a class: {@code /load-class?name=…} (an embedded collector must stay invisible). */
  static final class LoadClassServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String name = req.getParameter("name");
      resp.setContentType("text/plain");
      try {
        Class.forName(name);
        resp.getWriter().write("loaded " + name);
      } catch (ClassNotFoundException e) {
        resp.setStatus(404);
        resp.getWriter().write("not found " + name);
      }
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

  /** A slow route: 300-800 ms of "work" per report, so the demo's slowest route stands out. */
  static final class SlowReportServlet extends HttpServlet {
    private static final Logger REPORTS = Logger.getLogger("dev.lookout.sample.Reports");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      long millis = 300 + new Random().nextInt(500);
      REPORTS.info("building report " + req.getPathInfo() + " (" + millis + " ms)");
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      resp.setContentType("application/json");
      resp.getWriter().write("{\"report\":\"" + req.getPathInfo() + "\",\"ms\":" + millis + "}");
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

  /**
   * sendfile: the response head goes out through Jetty (content length set, then flushed), the body with
   * {@code FileChannel.transferTo} on the connection's own socket channel, which is non-blocking: when the
   * socket is full, a private selector waits until it takes more.
   */
  static final class ZeroCopyServlet extends HttpServlet {
    private final Path file;

    ZeroCopyServlet(Path file) {
      this.file = file;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Object transport = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData().getConnection()
          .getEndPoint().getTransport();
      if (!(transport instanceof SocketChannel)) {
        resp.sendError(501, "not a plain socket connection");
        return;
      }
      SocketChannel socket = (SocketChannel) transport;
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = in.size();
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(size);
        resp.setHeader("Connection", "close");
        resp.flushBuffer();
        Selector selector = null;
        try {
          long position = 0;
          while (position < size) {
            long n = in.transferTo(position, size - position, socket);
            if (n > 0) {
              position += n;
            } else {
              if (selector == null) {
                selector = Selector.open();
                socket.register(selector, SelectionKey.OP_WRITE);
              }
              selector.select(1000);
              selector.selectedKeys().clear();
            }
          }
        } finally {
          if (selector != null) {
            selector.close();
          }
        }
      }
    }
  }

  /** transferTo into a channel over the servlet's output stream: the JDK copies through a heap buffer. */
  static final class StreamTransferServlet extends HttpServlet {
    private final Path file;

    StreamTransferServlet(Path file) {
      this.file = file;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = in.size();
        resp.setContentType("application/octet-stream");
        resp.setContentLengthLong(size);
        ServletOutputStream out = resp.getOutputStream();
        long position = 0;
        while (position < size) {
          position += in.transferTo(position, size - position, Channels.newChannel(out));
        }
      }
    }
  }

  /** The classic copy loop: file into a heap buffer, buffer into the servlet output stream. */
  static final class CopyLoopServlet extends HttpServlet {
    private final Path file;

    CopyLoopServlet(Path file) {
      this.file = file;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/octet-stream");
      resp.setContentLengthLong(Files.size(file));
      ServletOutputStream out = resp.getOutputStream();
      try (InputStream in = new FileInputStream(file.toFile())) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
          out.write(buffer, 0, n);
        }
      }
    }
  }
}
