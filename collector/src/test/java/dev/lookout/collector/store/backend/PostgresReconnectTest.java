package dev.lookout.collector.store.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.collector.support.InProcessCollector;
import dev.lookout.collector.support.Otlp;
import dev.lookout.collector.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server ends the collector's sessions (as a restart or failover does): ingest
 * answers 503 meanwhile, never loses an acknowledged batch, and works again without a restart,
 * and so do queries.
 */
class PostgresReconnectTest {

  @TempDir
  Path dataDir;

  @Test
  void droppedConnectionsAreReplacedAndIngestGoesOn() throws Exception {
    String db = TestPostgres.freshDatabase();
    long now = System.currentTimeMillis();
    try (InProcessCollector c = new InProcessCollector(dataDir, "--db", db)) {
      assertThat(send(c, "/before", now)).isEqualTo(200);
      assertThat(c.get("/api/requests").get("items")).hasSize(1);

      int ended = endSessionsOf(URI.create(db).getPath().substring(1));
      assertThat(ended).as("sessions ended: the writer, the readers").isGreaterThanOrEqualTo(2);

      List<Integer> answers = new ArrayList<>();
      for (int attempt = 0; attempt < 100 && (answers.isEmpty() || answers.get(answers.size() - 1) != 200); attempt++) {
        answers.add(send(c, "/after", now + 1));
        Thread.sleep(100);
      }
      assertThat(answers).as("answers while reconnecting").last().isEqualTo(200);
      assertThat(answers).as("refusals are 503s, for the agent to retry").allMatch(s -> s == 200 || s == 503);

      // every pooled read connection was dropped too: each is replaced on first use, and the read repeated
      for (int i = 0; i < 6; i++) {
        assertThat(c.fetch("/api/services").statusCode()).as("read " + i).isEqualTo(200);
      }
      HttpResponse<String> page = c.fetch("/api/requests");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("\"/before\"").contains("\"/after\"");
      assertThat(c.fetch("/healthz").statusCode()).isEqualTo(200);
    }
  }

  private static int send(InProcessCollector c, String path, long at) throws Exception {
    return c.post("/v1/traces", Otlp.traces("svc", List.of(Otlp.serverSpan(at, 3, "GET", path, 200))).toByteArray(),
        "application/x-protobuf").statusCode();
  }

  private static int endSessionsOf(String database) throws Exception {
    try (Connection admin = TestPostgres.connect(TestPostgres.serverUrl());
         PreparedStatement s = admin.prepareStatement("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
             + " FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
      s.setString(1, database);
      try (var rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
