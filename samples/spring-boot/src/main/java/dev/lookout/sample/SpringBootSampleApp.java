package dev.lookout.sample;

import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A Spring Boot 3 application (Spring MVC on its embedded Tomcat, Logback through SLF4J) with
 * nothing of Lookout in it. Prints {@code LISTENING <port>} once it serves; the port is the first
 * argument (0 picks a free one).
 */
@SpringBootApplication
@RestController
public class SpringBootSampleApp {

  private static final Logger LOG = LoggerFactory.getLogger(SpringBootSampleApp.class);

  public static void main(String[] args) {
    String port = args.length > 0 ? args[0] : "8080";
    SpringApplication app = new SpringApplication(SpringBootSampleApp.class);
    app.setDefaultProperties(Map.of(
        "server.port", port,
        "spring.main.banner-mode", "off",
        "logging.pattern.console", "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} trace=%X{trace_id} - %msg%n"));
    app.run();
  }

  @EventListener
  public void onStarted(WebServerInitializedEvent event) {
    System.out.println("LISTENING " + event.getWebServer().getPort());
  }

  @GetMapping("/hello")
  public String hello() {
    LOG.info("hello from spring-boot");
    return "hello";
  }

  @GetMapping("/orders/{id}")
  public Map<String, Object> order(@PathVariable("id") long id) {
    LOG.info("looking up order {}", id);
    if (id == 404) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no order " + id);
    }
    return Map.of("id", id, "status", "shipped");
  }

  @GetMapping("/status/{code}")
  public ResponseEntity<String> status(@PathVariable("code") int code) {
    return ResponseEntity.status(code).body("status " + code);
  }

  @GetMapping("/boom")
  public String boom() {
    throw new IllegalStateException("boom from spring-boot");
  }

  @GetMapping("/logged-error")
  public String loggedError() {
    try {
      Integer.parseInt("not a number");
    } catch (NumberFormatException e) {
      LOG.error("could not parse the order number", e);
    }
    return "handled";
  }

  @GetMapping("/async")
  public Callable<ResponseEntity<String>> async() {
    return () -> {
      Thread.sleep(50);
      LOG.info("async work done");
      return ResponseEntity.status(202).body("accepted");
    };
  }

  @GetMapping("/spawn")
  public String spawn() {
    new Thread(() -> {
      throw new IllegalArgumentException("worker died in spring-boot");
    }, "sample-worker").start();
    return "spawned";
  }

  /** Whether the application can see a class (an agent's embedded collector must stay invisible to it). */
  @GetMapping("/load-class")
  public ResponseEntity<String> loadClass(@RequestParam("name") String name) {
    try {
      Class.forName(name);
      return ResponseEntity.ok("loaded " + name);
    } catch (ClassNotFoundException e) {
      return ResponseEntity.status(404).body("not found " + name);
    }
  }

  @GetMapping("/health")
  public String health() {
    return "ok";
  }
}
