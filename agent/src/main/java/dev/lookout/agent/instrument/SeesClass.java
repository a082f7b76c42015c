package dev.lookout.agent.instrument;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Matches class loaders that can see a given class, answered once per loader. Used in front of
 * the (costly) super-type matchers, so that the thousands of classes of a loader without a servlet
 * API are skipped at once.
 */
public final class SeesClass extends ElementMatcher.Junction.AbstractBase<ClassLoader> {

  private final String resource;
  private final Map<ClassLoader, Boolean> answers = new WeakHashMap<>();

  private SeesClass(String className) {
    this.resource = className.replace('.', '/') + ".class";
  }

  public static SeesClass named(String className) {
    return new SeesClass(className);
  }

  @Override
  public String toString() {
    return "seesClass(" + resource + ")";
  }

  @Override
  public synchronized boolean matches(ClassLoader loader) {
    if (loader == null) {
      return false; // the bootstrap loader holds no application API
    }
    return answers.computeIfAbsent(loader, l -> l.getResource(resource) != null);
  }
}
