package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.it.support.Jars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent jar as the application's class path sees it: within its size target, and no
 * service entry naming a class the shading left out (an application iterating that ServiceLoader,
 * e.g. java.security.Provider, would fail on it).
 */
class AgentJarIT {

  private static final long SIX_MIB = 6L << 20;

  @Test
  void theAgentJarIsAtMostSixMiB() throws IOException {
    assertThat(Files.size(Jars.agent())).isLessThanOrEqualTo(SIX_MIB);
  }

  @Test
  void everyServiceEntryNamesAClassInTheJar() throws IOException {
    List<String> missing = new ArrayList<>();
    try (JarFile jar = new JarFile(Jars.agent().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        if (!e.getName().startsWith("META-INF/services/") || e.isDirectory()) {
          continue;
        }
        String text = new String(jar.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
          String name = line.replaceAll("#.*", "").trim();
          if (!name.isEmpty() && jar.getEntry(name.replace('.', '/') + ".class") == null) {
            missing.add(e.getName() + " -> " + name);
          }
        }
      }
    }
    assertThat(missing).isEmpty();
  }
}
