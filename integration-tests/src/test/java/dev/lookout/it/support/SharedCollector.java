package dev.lookout.it.support;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One collector ({@code --no-auth}) for a test class, started before its first test and stopped after
 * its last: {@code @RegisterExtension static final SharedCollector collector = new SharedCollector();}.
 */
public final class SharedCollector implements BeforeAllCallback, AfterAllCallback {

  private CollectorProcess process;
  private LookoutApi api;

  @Override
  public void beforeAll(ExtensionContext context) {
    process = CollectorProcess.start("--no-auth");
    api = process.api();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  public LookoutApi api() {
    return api;
  }

  public String otlpUrl() {
    return process.otlpUrl();
  }

  public Path dataDir() {
    return process.dataDir();
  }
}
