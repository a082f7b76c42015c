package dev.lookout.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

/**
 * The ByteBuddy set-up every agent builder starts from. Advice only ever goes into methods a type
 * declares, so ByteBuddy need not compile the type's whole method graph: by default it would, reading
 * the class file of every super class and interface of each advised type (Thread, the socket and file
 * channels, each servlet), which at start-up was most of the JIT's extra work. Validation of the
 * generated code is for code ByteBuddy writes anew; advice woven into existing methods gains nothing.
 */
public final class Weaving {

  private Weaving() {}

  public static AgentBuilder.Default agentBuilder() {
    return new AgentBuilder.Default(new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE));
  }

  /**
   * Retransforms those of the named classes that are loaded already, and no other: by default
   * ByteBuddy would describe and match each of the JDK's ~1,500 classes loaded at that point, through
   * its reflective dispatchers, once per builder; a name lookup here costs a fraction of that. The
   * named classes loaded later reach the builder's transformer as they load.
   */
  public static AgentBuilder.RedefinitionStrategy.DiscoveryStrategy loaded(Instrumentation inst,
      Collection<String> classNames) {
    Set<Class<?>> found = new HashSet<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (classNames.contains(type.getName())) {
        found.add(type);
      }
    }
    return new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(found);
  }
}
