package dev.lookout.bench.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application the overhead benchmark loads: Jetty 12, jakarta (ee10) servlets, one endpoint per
 * kind of work an agent sees.
 *
 * <pre>
 *   /plain      a short text answer
 *   /log        logs one INFO line through SLF4J (Logback, to a file) and answers
 *   /exception  throws an exception three frames down, catches it, answers 200
 *   /json       a small order document serialised with Jackson
 *   /file       a 32 KiB file through FileChannel.transferTo into the response's channel
 * </pre>
 *
 * Usage: {@code java -jar lookout-bench-app.jar [port] [fileBytes]} (defaults 8080, 32768). Binds
 * 127.0.0.1 only.
 */
public final class BenchApp {

  private static final Logger LOG = LoggerFactory.getLogger("dev.lookout.bench.app.Orders");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] PLAIN = "hello from the bench app\n".getBytes(StandardCharsets.US_ASCII);
  private static final AtomicLong COUNTER = new AtomicLong();

  private BenchApp() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    int fileBytes = args.length > 1 ? Integer.parseInt(args[1]) : 32 * 1024;
    Path file = Files.createTempFile("lookout-bench-", ".bin");
    file.toFile().deleteOnExit();
    byte[] content = new byte[fileBytes];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) ('a' + i % 26);
    }
    Files.write(file, content);

    Server server = new Server(new QueuedThreadPool(200, 8));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new Plain()), "/plain");
    context.addServlet(new ServletHolder(new Logging()), "/log");
    context.addServlet(new ServletHolder(new Handled()), "/exception");
    context.addServlet(new ServletHolder(new JsonOrder()), "/json");
    context.addServlet(new ServletHolder(new FileDownload(file, fileBytes)), "/file");
    server.setHandler(context);
    server.start();
    server.join();
  }

  static final class Plain extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(PLAIN.length);
      resp.getOutputStream().write(PLAIN);
    }
  }

  static final class Logging extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      long n = COUNTER.incrementAndGet();
      LOG.info("served order {} for {}", n, req.getRemoteAddr());
      resp.setContentType("text/plain");
      resp.setContentLength(PLAIN.length);
      resp.getOutputStream().write(PLAIN);
    }
  }

  static final class Handled extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String answer;
      try {
        answer = "quantity " + parseQuantity(req.getParameter("quantity"));
      } catch (IllegalArgumentException e) {
        answer = "recovered: " + e.getMessage();
      }
      byte[] body = (answer + "\n").getBytes(StandardCharsets.UTF_8);
      resp.setContentType("text/plain");
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }

    private static int parseQuantity(String text) {
      return checkPositive(text == null ? "none" : text);
    }

    private static int checkPositive(String text) {
      int value;
      try {
        value = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a quantity: " + text, e);
      }
      if (value <= 0) {
        throw new IllegalArgumentException("not positive: " + value);
      }
      return value;
    }
  }

  record Line(String sku, int quantity, double price) {}

  record Order(long id, String customer, String status, List<Line> lines, double total) {}

  static final class JsonOrder extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      long id = COUNTER.incrementAndGet();
      List<Line> lines = List.of(new Line("SKU-" + (id % 97), 2, 9.99), new Line("SKU-" + (id % 89), 1, 24.5),
          new Line("SKU-" + (id % 83), 5, 1.25));
      Order order = new Order(id, "customer-" + (id % 1000), "CONFIRMED", lines, 50.73);
      byte[] body = JSON.writeValueAsBytes(order);
      resp.setContentType("application/json");
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  static final class FileDownload extends HttpServlet {
    private final Path file;
    private final long size;

    FileDownload(Path file, long size) {
      this.file = file;
      this.size = size;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/octet-stream");
      resp.setContentLengthLong(size);
      OutputStream out = resp.getOutputStream();
      WritableByteChannel target = Channels.newChannel(out);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long position = 0;
        while (position < size) {
          position += channel.transferTo(position, size - position, target);
        }
      }
    }
  }
}
