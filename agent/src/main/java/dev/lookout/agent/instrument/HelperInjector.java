package dev.lookout.agent.instrument;

import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Defines an advice's helper class in the class loader of each class the advice is woven into, once
 * per loader, before that class is defined. The helper is compiled against a library's API (the
 * servlet API, say) that only such loaders see: the agent's own loader may not (a Spring Boot jar, a
 * Tomcat web application), and the bootstrap bridge cannot. Advice then stays two static calls, and
 * the helper's code is compiled once per loader rather than inlined into every advised method. A loader
 * asks itself for a class it defined before asking its parents, so the helper it links against is this
 * copy, even where the agent jar is on its parent's class path too.
 */
public final class HelperInjector {

  private final String helper;
  private final ClassFileLocator source;
  private final Map<ClassLoader, Boolean> injected = new WeakHashMap<>();
  private byte[] classFile;

  /** {@code source}: where the helper's class file is found (the agent jar, or a copy made from it). */
  public HelperInjector(String helper, ClassFileLocator source) {
    this.helper = helper;
    this.source = source;
  }

  @Override
  public String toString() {
    return helper;
  }

  /** Defines the helper in {@code loader} unless it did already; throws if it cannot (the class is then not woven). */
  synchronized void inject(ClassLoader loader) {
    Boolean done = injected.get(loader);
    if (done == null) {
      done = define(loader);
      injected.put(loader, done);
    }
    if (!done) {
      // the weaver then leaves the class as it is: no advice without its helper
      throw new IllegalStateException("cannot define " + helper + " in " + loader);
    }
  }

  private boolean define(ClassLoader loader) {
    try {
      if (classFile == null) {
        classFile = source.locate(helper).resolve();
      }
      ClassDefiner.define(helper, classFile, loader);
      return true;
    } catch (LinkageError alreadyThere) {
      return true; // the loader holds the helper already (an earlier agent start in this JVM): the same code
    } catch (Exception e) {
      return false;
    }
  }
}
