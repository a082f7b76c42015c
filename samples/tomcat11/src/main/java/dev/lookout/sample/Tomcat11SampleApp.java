package dev.lookout.sample;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Embedded Tomcat 11 (jakarta.servlet) logging through Log4j2; nothing of Lookout in it.
 * Prints {@code LISTENING <port>} once it serves (port 0 picks a free one).
 *
 * <p>Static files come from Tomcat's {@code DefaultServlet} under {@code /static/}: {@code big.bin}
 * ({@code -Dstatic.size}, default 4 MiB) is sent with sendfile by the NIO connector unless
 * {@code -DuseSendfile=false}; {@code -Dcompression=on} turns the connector's compression on.
 */
public final class Tomcat11SampleApp {

  private static final Logger LOG = LogManager.getLogger(Tomcat11SampleApp.class);

  private Tomcat11SampleApp() {}

  public static void main(String[] args) throws Exception {
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("tomcat11").toString());
    tomcat.setPort(Integer.parseInt(args.length > 0 ? args[0] : "8080"));
    Path docBase = Files.createTempDirectory("tomcat11-static");
    byte[] data = new byte[Integer.getInteger("static.size", 4 * 1024 * 1024)];
    new Random(11).nextBytes(data);
    Files.createDirectories(docBase.resolve("static"));
    Files.write(docBase.resolve("static/big.bin"), data);
    Context ctx = tomcat.addContext("", docBase.toString());
    Wrapper files = Tomcat.addServlet(ctx, "static", new org.apache.catalina.servlets.DefaultServlet());
    ctx.addServletMappingDecoded("/static/*", "static");
    files.addInitParameter("listings", "false");
    servlet(ctx, "hello", new Hello(), "/hello");
    servlet(ctx, "status", new Status(), "/status/*");
    servlet(ctx, "boom", new Boom(), "/boom");
    servlet(ctx, "logged", new LoggedError(), "/logged-error");
    servlet(ctx, "forward", new Forward(), "/forward");
    servlet(ctx, "spawn", new Spawn(), "/spawn");
    servlet(ctx, "form", new Form(), "/form");
    servlet(ctx, "login", new Login(), "/login");
    servlet(ctx, "health", new Hello(), "/health");
    servlet(ctx, "async", new Async(), "/async").setAsyncSupported(true);
    FilterDef filter = new FilterDef();
    filter.setFilterName("sample");
    filter.setFilter(new SampleFilter());
    filter.setAsyncSupported("true");
    ctx.addFilterDef(filter);
    FilterMap map = new FilterMap();
    map.setFilterName("sample");
    map.addURLPattern("/*");
    ctx.addFilterMap(map);
    tomcat.getConnector().setProperty("useSendfile", System.getProperty("useSendfile", "true"));
    tomcat.getConnector().setProperty("compression", System.getProperty("compression", "off"));
    tomcat.start();
    System.out.println("LISTENING " + tomcat.getConnector().getLocalPort());
    tomcat.getServer().await();
  }

  private static Wrapper servlet(Context ctx, String name, HttpServlet servlet, String pattern) {
    Wrapper w = Tomcat.addServlet(ctx, name, servlet);
    ctx.addServletMappingDecoded(pattern, name);
    return w;
  }

  /** Marks every response, and answers ?filter=blocked itself with 403 without reaching a servlet. */
  static final class SampleFilter implements Filter {
    @Override
    public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain)
        throws IOException, ServletException {
      ((HttpServletResponse) resp).setHeader("X-Sample-Filter", "yes");
      if ("blocked".equals(req.getParameter("filter"))) {
        ((HttpServletResponse) resp).sendError(403, "blocked by filter");
        return;
      }
      chain.doFilter(req, resp);
    }
  }

  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      LOG.info("hello from tomcat11");
      resp.setContentType("text/plain");
      resp.getWriter().write("hello");
    }
  }

  static final class Status extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      int status = Integer.parseInt(req.getPathInfo().substring(1));
      if (status >= 400) {
        resp.sendError(status);
      } else {
        resp.setStatus(status);
      }
    }
  }

  static final class Boom extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws ServletException {
      throw new IllegalStateException("boom from tomcat11", new java.io.UncheckedIOException(new IOException("disk")));
    }
  }

  static final class LoggedError extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      try {
        Integer.parseInt("not a number");
      } catch (NumberFormatException e) {
        LOG.error("could not parse the order number", e);
      }
      resp.getWriter().write("handled");
    }
  }

  static final class Forward extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
      req.getRequestDispatcher("/hello").forward(req, resp);
    }
  }

  static final class Spawn extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      Thread worker = new Thread(() -> {
        throw new IllegalArgumentException("worker died in tomcat11");
      }, "sample-worker");
      worker.start();
      resp.getWriter().write("spawned");
    }
  }

  static final class Form extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write("user=" + req.getParameter("user"));
    }
  }

  /**
   * Careless with credentials on purpose, for the redaction tests: POST logs and echoes a JSON body
   * (through the output stream), GET throws an exception whose message holds the password and the
   * Authorization header.
   */
  static final class Login extends HttpServlet {
    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String body = new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      LOG.warn("login attempt " + body);
      resp.setContentType("application/json");
      resp.getOutputStream().write(("{\"echo\":" + body + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      throw new IllegalStateException("login rejected: password=" + req.getParameter("password")
          + "; Authorization: " + req.getHeader("Authorization"));
    }
  }

  /** Completes on another thread after 50 ms with 202. */
  static final class Async extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      async.start(() -> {
        try {
          Thread.sleep(50);
          LOG.info("async work done");
          ((HttpServletResponse) async.getResponse()).setStatus(202);
          async.getResponse().getWriter().write("accepted");
        } catch (Exception e) {
          LOG.error("async failed", e);
        }
        async.complete();
      });
    }
  }
}
