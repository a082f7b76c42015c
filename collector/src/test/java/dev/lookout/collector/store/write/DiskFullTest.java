package dev.lookout.collector.store.write;

import dev.lookout.collector.store.backend.Database;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, made real inside SQLite: {@code PRAGMA max_page_count} set to the file's current
 * page count on the writer's own connection makes the next commit that needs a page fail with
 * SQLITE_FULL, exactly the result code SQLite gives when write() returns ENOSPC. (No tmpfs or
 * quota without root, and chmod does not stop root, which runs these tests in some places; the
 * operating-system limit is exercised by DiskTroubleIT with a file size limit.)
 */
class DiskFullTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SPANS = 40;

  @TempDir
  Path dataDir;

  @Test
  void aFullDiskIsReportedRefusedWith503AndRecoveredFromWithoutLosingAnything() throws Exception {
    try (InProcessCollector c = new InProcessCollector(dataDir)) {
      int acknowledged = 0;
      for (int batch = 0; batch < 10; batch++) {
        assertThat(send(c, batch).statusCode()).isEqualTo(200);
        acknowledged++;
      }
      long pages = onWriter(c, "PRAGMA page_count");
      assertThat(onWriter(c, "PRAGMA max_page_count = " + pages)).isEqualTo(pages);

      // Free pages inside the file still take a few batches; then the disk is full.
      HttpResponse<byte[]> refused = null;
      for (int batch = 10; batch < 500 && refused == null; batch++) {
        HttpResponse<byte[]> r = send(c, batch);
        if (r.statusCode() == 200) {
          acknowledged++;
        } else {
          refused = r;
        }
      }
      assertThat(refused).as("a commit past max_page_count is refused").isNotNull();
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(statusMessage(refused.body())).contains("cannot write to its disk").contains("no space left");

      HttpResponse<String> health = get(c, "/healthz");
      assertThat(health.statusCode()).isEqualTo(503);
      JsonNode storage = JSON.readTree(health.body()).get("storage");
      assertThat(storage.get("problem").asText()).isEqualTo("full");
      assertThat(storage.get("detail").asText()).contains("SQLITE_FULL");
      assertThat(c.get("/api/stats").get("storage").get("ok").asBoolean()).isFalse();
      // Queries go on, and everything acknowledged before is there.
      assertThat(c.get("/api/stats").get("rows").get("requests").asLong()).isEqualTo((long) acknowledged * SPANS);

      onWriter(c, "PRAGMA max_page_count = 1073741823"); // space is back
      assertThat(send(c, 1000).statusCode()).isEqualTo(200);
      acknowledged++;
      assertThat(get(c, "/healthz").statusCode()).isEqualTo(200);
      JsonNode stats = c.get("/api/stats");
      assertThat(stats.get("storage").get("ok").asBoolean()).isTrue();
      assertThat(stats.get("storage").get("failedCommits").asLong()).isPositive();
      assertThat(stats.get("rows").get("requests").asLong()).isEqualTo((long) acknowledged * SPANS);
    }
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Database.FILE_NAME));
         Statement s = db.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
  }

  /** Runs a PRAGMA on the writer's connection, between batches, and returns its number. */
  private static long onWriter(InProcessCollector c, String pragma) throws Exception {
    long[] result = new long[1];
    c.collector.writer().execute(conn -> {
      try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(pragma)) {
        result[0] = rs.next() ? rs.getLong(1) : -1;
      }
    }).get();
    return result[0];
  }

  private static HttpResponse<byte[]> send(InProcessCollector c, int batch) throws Exception {
    List<Span> spans = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < SPANS; i++) {
      spans.add(Otlp.serverSpan(now, 1.5, "GET", "/disk/" + batch + "/" + i + "/" + "x".repeat(200), 200));
    }
    return c.post("/v1/traces", Otlp.traces("disk", spans).toByteArray(), "application/x-protobuf");
  }

  private static HttpResponse<String> get(InProcessCollector c, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + c.collector.apiPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Field 2 of a protobuf google.rpc.Status. */
  private static String statusMessage(byte[] status) throws Exception {
    CodedInputStream in = CodedInputStream.newInstance(status);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 2) {
        return in.readString();
      }
      in.skipField(tag);
    }
    return "";
  }
}
