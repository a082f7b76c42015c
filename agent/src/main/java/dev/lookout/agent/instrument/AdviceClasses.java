package dev.lookout.agent.instrument;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
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

  /** The advice of {@code adviceClass}, resolved for classes of {@code loader}; throws if it cannot be. */
  synchronized Advice advice(String adviceClass, ClassLoader loader) {
    Resolved resolved = byLoader.get(loader);
    if (resolved == null) {
      resolved = new Resolved(new ClassFileLocator.Compound(source, ClassFileLocator.ForClassLoader.WeaklyReferenced.of(loader)), loader);
      byLoader.put(loader, resolved);
    }
    Advice advice = resolved.advice.get(adviceClass);
    if (advice == null) {
      advice = Advice.to(resolved.pool.describe(adviceClass).resolve(), resolved.locator);
      resolved.advice.put(adviceClass, advice);
    }
    return advice;
  }

  /** One loader's view: its type pool and the advice resolved in it so far. */
  private static final class Resolved {
    final ClassFileLocator locator;
    final TypePool pool;
    final Map<String, Advice> advice = new HashMap<>();

    Resolved(ClassFileLocator locator, ClassLoader loader) {
      this.locator = locator;
      this.pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader);
    }
  }
}
