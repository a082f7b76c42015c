package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.it.support.CollectorProcess;
import dev.lookout.it.support.LookoutApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * The disk stops taking writes under a running collector, for real: the collector process gets
 * a file size limit (RLIMIT_FSIZE, set from outside with {@code prlimit}) far below the size of
 * its write-ahead log, so the kernel refuses every write past it (EFBIG), just as a
 * full disk refuses with ENOSPC. It needs no root, no tmpfs and no loop device, and chmod would
 * not do (it does not stop root, and open files stay writable). Raising the limit is the disk
 * coming back.
 */
class DiskTroubleIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final int SPANS = 50;

  @Test
  void aDiskThatStopsTakingWritesGets503AndTheCollectorHealsWhenItComesBack() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")), "prlimit (util-linux) is needed");
    Path data = Files.createTempDirectory("lookout-disk");
    int acknowledged = 0;
    try (CollectorProcess c = CollectorProcess.start(data, "--no-auth")) {
      for (int batch = 0; batch < 20; batch++) {
        assertThat(send(c, batch).statusCode()).isEqualTo(200);
        acknowledged++;
      }
      // Far below the log and the file, above the collector's own output (which the limit also binds).
      long limit = Math.max(64 * 1024, c.output().length() + 32 * 1024);
      assertThat(Files.size(data.resolve("lookout.db-wal"))).isGreaterThan(limit);
      prlimit(c.pid(), Long.toString(limit));

      HttpResponse<String> refused = null;
      for (int batch = 100; batch < 1000 && refused == null; batch++) {
        HttpResponse<String> r = send(c, batch);
        if (r.statusCode() == 200) {
          acknowledged++; // the log restarts from its beginning after a checkpoint: room until the limit
        } else {
          refused = r;
        }
      }
      assertThat(refused).as("writes past the file size limit are refused").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(refused.body()).contains("cannot write to its disk");
      LookoutApi api = c.api();
      LookoutApi.Answer health = api.get("/healthz");
      assertThat(health.status()).isEqualTo(503);
      // EFBIG is SQLITE_IOERR_WRITE; a write cut short at the limit would be SQLITE_FULL.
      assertThat(health.body().get("storage").get("problem").asText()).isIn("full", "io-error");
      assertThat(c.output()).contains("cannot write to").contains("Writing resumes by itself");
      assertThat(api.get("/api/stats").body().get("rows").get("requests").asLong())
          .as("everything acknowledged is still there and queryable").isEqualTo((long) acknowledged * SPANS);

      prlimit(c.pid(), "unlimited"); // the disk is back
      long back = System.nanoTime();
      int status = 0;
      while (status != 200 && System.nanoTime() - back < Duration.ofSeconds(30).toNanos()) {
        status = send(c, 5000).statusCode();
        if (status != 200) {
          Thread.sleep(100);
        }
      }
      double recoveryMs = (System.nanoTime() - back) / 1e6;
      assertThat(status).as("ingest 2xx again without a restart").isEqualTo(200);
      acknowledged++;
      assertThat(api.get("/healthz").status()).isEqualTo(200);
      assertThat(c.output()).contains("works again");
      System.out.printf("disk trouble: refused with 503 after the limit, 2xx again %.0f ms after the disk came back%n",
          recoveryMs);
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("lookout.db"));
         ResultSet rs = db.createStatement().executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    try (CollectorProcess again = CollectorProcess.start(data, "--no-auth")) {
      JsonNode stats = again.api().get("/api/stats").body();
      assertThat(stats.get("rows").get("requests").asLong()).isEqualTo((long) acknowledged * SPANS);
    }
  }

  /** Sets the soft file size limit of a running process; the hard limit stays unlimited. */
  private static void prlimit(long pid, String soft) throws Exception {
    Process p = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(pid), "--fsize=" + soft + ":unlimited")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("prlimit: " + out).isZero();
  }

  private static HttpResponse<String> send(CollectorProcess c, int batch) throws Exception {
    StringBuilder spans = new StringBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < SPANS; i++) {
      spans.append(i == 0 ? "" : ",").append("{\"traceId\":\"").append(hex(16)).append("\",\"spanId\":\"")
          .append(hex(8)).append("\",\"name\":\"GET\",\"kind\":2,\"startTimeUnixNano\":\"").append(now + i)
          .append("\",\"endTimeUnixNano\":\"").append(now + i + 1_000_000)
          .append("\",\"attributes\":[{\"key\":\"http.request.method\",\"value\":{\"stringValue\":\"GET\"}},")
          .append("{\"key\":\"url.path\",\"value\":{\"stringValue\":\"/disk/").append(batch)
          .append('/').append(i).append("\"}},{\"key\":\"http.response.status_code\",\"value\":{\"intValue\":200}}]}");
    }
    String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
        + "{\"stringValue\":\"disk\"}}]},\"scopeSpans\":[{\"spans\":[" + spans + "]}]}]}";
    return HTTP.send(HttpRequest.newBuilder(URI.create(c.otlpUrl() + "/v1/traces")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1;
    return java.util.HexFormat.of().formatHex(b);
  }
}
