package dev.lookout.collector.store.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.collector.startup.StartupException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --db postgresql://…}: read into the driver's terms, and refused with a one-line reason when wrong. */
class PostgresUrlTest {

  @TempDir
  Path dataDir;

  @Test
  void credentialsFromTheQueryOrTheAuthorityBecomeDriverProperties() {
    PostgresUrl a = PostgresUrl.parse("postgresql://db.example:6543/lookout?user=ops&password=s%26cret&sslmode=require");
    assertThat(a.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/lookout");
    assertThat(a.properties()).containsEntry("user", "ops").containsEntry("password", "s&cret")
        .containsEntry("sslmode", "require");
    PostgresUrl b = PostgresUrl.parse("postgres://ops:pw@10.0.0.5/team");
    assertThat(b.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:5432/team");
    assertThat(b.properties()).containsEntry("user", "ops").containsEntry("password", "pw");
    assertThat(a.description() + b.description()).doesNotContain("cret").doesNotContain("pw");
  }

  @Test
  void aBadUrlIsAOneLineStartupErrorWithoutThePassword() {
    for (String bad : new String[] {"mysql://h/db?user=u", "postgresql:///db?user=u", "postgresql://h/?user=u",
        "postgresql://h/db", "postgresql://h/db?user=u&password=hunter2&oops", "postgresql://h:99999999/db?user=u"}) {
      assertThatThrownBy(() -> PostgresUrl.parse(bad)).as(bad).isInstanceOf(StartupException.class)
          .hasMessageStartingWith("bad --db").hasMessageNotContaining("hunter2").hasMessageNotContaining("\n");
    }
  }

  @Test
  void anUnreachableServerIsAOneLineStartupError() {
    assertThatThrownBy(() -> Database.open(dataDir, "postgresql://127.0.0.1:1/lookout?user=u&password=hunter2"))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith("cannot connect to PostgreSQL 127.0.0.1:1/lookout as u")
        .hasMessageNotContaining("hunter2").hasMessageNotContaining("\n");
  }
}
