package dev.lookout.agent;

import dev.lookout.agent.instrument.ClassDefiner;
import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * Defines the bridge classes (package {@code dev.lookout.agent.bootstrap}) in the bootstrap class
 * loader, so that advice inlined into classes of any loader, the JDK's included, can call them.
 * Only those few JDK-only classes go there; the SDK and everything else stay in the agent's loader.
 *
 * <p>They are defined directly rather than by appending a jar to the boot class path: an appended
 * boot class path makes HotSpot print a class-sharing warning on the application's console and
 * turns class data sharing off for application classes, which slows the application's start (see
 * {@link ClassDefiner} for how).
 */
final class BootstrapInjector {

  static final String[] BRIDGE_CLASSES = {
      "dev.lookout.agent.bootstrap.PerThread",
      "dev.lookout.agent.bootstrap.PerThread$Slot",
      "dev.lookout.agent.bootstrap.ServletHooks",
      "dev.lookout.agent.bootstrap.SameStrings",
      "dev.lookout.agent.bootstrap.HeaderPairs",
      "dev.lookout.agent.bootstrap.ContainerHeaders",
      "dev.lookout.agent.bootstrap.LogHooks",
      "dev.lookout.agent.bootstrap.TraceContextMap",
      "dev.lookout.agent.bootstrap.BodyHooks",
      "dev.lookout.agent.bootstrap.IoHooks",
      "dev.lookout.agent.bootstrap.IoHooks$Counters",
      "dev.lookout.agent.bootstrap.IoSites",
  };

  private BootstrapInjector() {}

  static void inject(Instrumentation inst) throws ReflectiveOperationException, IOException {
    ClassDefiner.open(inst);
    ClassLoader agentLoader = BootstrapInjector.class.getClassLoader();
    for (String name : BRIDGE_CLASSES) {
      ClassDefiner.define(name, ClassDefiner.classFile(name, agentLoader), null);
    }
  }
}
