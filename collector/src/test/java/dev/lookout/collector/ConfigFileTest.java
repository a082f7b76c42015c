package dev.lookout.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lookout.collector.startup.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config FILE}: the file's options under the command line's, and a bad line named. */
class ConfigFileTest {

  @TempDir
  Path dir;

  @Test
  void theFilesOptionsApplyAndTheCommandLineWins() throws Exception {
    Path file = write("# a collector for the team\n\nport=7171\n  otlp-port = 4444  \nno-auth=true\n"
        + "retention=requests=3d,logs=1d\nmax-db-size=2GB\npublic-metrics=false\nadmin-password=-dash #not a comment\n");
    CollectorOptions o = CollectorOptions.parse("--config", file.toString(), "--otlp-port", "5555").getCommand();
    assertThat(o.port).isEqualTo(7171);
    assertThat(o.otlpPort).as("the command line wins").isEqualTo(5555);
    assertThat(o.noAuth).isTrue();
    assertThat(o.publicMetrics).isFalse();
    assertThat(o.retention).isEqualTo("requests=3d,logs=1d");
    assertThat(o.maxDbSize).isEqualTo(2L << 30);
    assertThat(o.adminPassword).as("values are taken whole").isEqualTo("-dash #not a comment");
    assertThat(o.bind).as("untouched options keep their defaults").isEqualTo("127.0.0.1");
  }

  @Test
  void theGrpcPortDefaultsTo4317AndOffOrZeroTurnsItOff() throws Exception {
    assertThat(CollectorOptions.parse().<CollectorOptions>getCommand().otlpGrpcPort).isEqualTo(4317);
    assertThat(CollectorOptions.parse("--otlp-grpc-port", "off").<CollectorOptions>getCommand().otlpGrpcPort).isZero();
    assertThat(CollectorOptions.parse("--otlp-grpc-port", "0").<CollectorOptions>getCommand().otlpGrpcPort).isZero();
    assertThat(CollectorOptions.parse("--config", write("otlp-grpc-port=OFF\n").toString())
        .<CollectorOptions>getCommand().otlpGrpcPort).isZero();
    assertThat(CollectorOptions.parse("--otlp-grpc-port", "14317").<CollectorOptions>getCommand().otlpGrpcPort)
        .isEqualTo(14317);
    assertBadLine("otlp-grpc-port=70000\n", "line 1: ").hasMessageContaining("'70000'");
    assertBadLine("otlp-grpc-port=on\n", "line 1: ").hasMessageContaining("or 'off'");
  }

  @Test
  void aBadLineIsOneErrorNamingTheFileAndLine() throws Exception {
    assertBadLine("port=7070\nportt=7071\n", "line 2: unknown option 'portt'");
    assertBadLine("# x\nport 7070\n", "line 2: expected key=value");
    assertBadLine("port=seventy\n", "line 1: ").hasMessageContaining("'seventy'");
    assertBadLine("no-auth=yes\n", "line 1: no-auth takes true or false");
    assertBadLine("retention=7 days\n", "line 1: ");
    assertBadLine("config=/etc/other\n", "line 1: a config file cannot name another one");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> CollectorOptions.parse("--config", missing.toString()))
        .isInstanceOf(StartupException.class).hasMessageContaining("cannot read the config file " + missing);
  }

  private org.assertj.core.api.AbstractThrowableAssert<?, ?> assertBadLine(String content, String expected)
      throws Exception {
    Path file = write(content);
    return assertThatThrownBy(() -> CollectorOptions.parse("--config", file.toString()))
        .isInstanceOf(StartupException.class)
        .hasMessageStartingWith(file + " " + expected.substring(0, expected.indexOf(':') + 1))
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private Path write(String content) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "lookout", ".conf"), content);
  }
}
