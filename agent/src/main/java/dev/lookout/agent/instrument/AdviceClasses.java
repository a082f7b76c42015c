package dev.lookout.agent.instrument;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Where advice classes are read from (the agent jar, or copies made from it), and the advice resolved
 * from them: once per class loader it is woven into, not once per class. Resolving an advice class
 * parses it and the types its signature names, which are looked up in the woven class's loader too
 * (a servlet request, a Logback event); so the resolution is kept per loader, and the loader is held
 * weakly: a web application that is undeployed is not kept alive by the agent.
 */
public final class AdviceClasses {

  private final ClassFileLocator source;
  private final Map<ClassLoader, Resolved> byLoader = new WeakHashMap<>();

  private AdviceClasses(ClassFileLocator source) {
    this.source = source;
  }

  /** Advice classes as the agent's class loader finds them. */
  public static AdviceClasses of(ClassLoader agentLoader) {
    return new AdviceClasses(ClassFileLocator.ForClassLoader.of(agentLoader));
  }

  /** Advice classes as {@code source} serves them. */
  public static AdviceClasses of(ClassFileLocator source) {
    return new AdviceClasses(source);
  }

  /** The class files of this source (advice helpers are defined from them). */
  ClassFileLocator source() {
    return source;
  }

  /**
   * The advice of {@code adviceClass}, resolved for classes of {@code loader}; throws if it cannot be.
   * No lock is held while it is resolved (which reads class files through the loader): a class being
   * loaded on another thread is never kept waiting for it. Two threads may resolve the same advice at
   * once; the first one kept wins.
   */
  Advice advice(String adviceClass, ClassLoader loader) {
    Resolved resolved;
    synchronized (byLoader) {
      resolved = byLoader.get(loader);
      if (resolved == null) {
        resolved = new Resolved(
            new ClassFileLocator.Compound(source, ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader)), loader);
        byLoader.put(loader, resolved);
      }
    }
    Advice advice = resolved.advice.get(adviceClass);
    if (advice == null) {
      advice = Advice.to(resolved.pool.describe(adviceClass).resolve(), resolved.locator);
      Advice earlier = resolved.advice.putIfAbsent(adviceClass, advice);
      if (earlier != null) {
        advice = earlier;
      }
    }
    return advice;
  }

  /** One loader's view: its type pool and the advice resolved in it so far. */
  private static final class Resolved {
    final ClassFileLocator locator;
    final TypePool pool;
    final Map<String, Advice> advice = new ConcurrentHashMap<>();

    Resolved(ClassFileLocator locator, ClassLoader loader) {
      this.locator = locator;
      this.pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader);
    }
  }
}
