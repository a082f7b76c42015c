package dev.lookout.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines the bridge classes (package {@code dev.lookout.agent.bootstrap}) in the bootstrap class
 * loader, so that advice inlined into classes of any loader, the JDK's included, can call them.
 * Only those few JDK-only classes go there; the SDK and everything else stay in the agent's loader.
 *
 * <p>They are defined directly rather than by appending a jar to the boot class path: an appended
 * boot class path makes HotSpot print a class-sharing warning on the application's console and
 * turns class data sharing off for application classes, which slows the application's start. And
 * not through {@code sun.misc.Unsafe} either, which prints deprecation warnings from JDK 24 on: the
 * JDK's internal {@code Unsafe.defineClass} is opened to the agent alone, through the
 * instrumentation API made for that.
 */
final class BootstrapInjector {

  static final String[] BRIDGE_CLASSES = {
      "dev.lookout.agent.bootstrap.ServletHooks",
      "dev.lookout.agent.bootstrap.HeaderPairs",
      "dev.lookout.agent.bootstrap.LogHooks",
      "dev.lookout.agent.bootstrap.BodyHooks",
      "dev.lookout.agent.bootstrap.IoHooks",
      "dev.lookout.agent.bootstrap.IoHooks$Counters",
  };

  private BootstrapInjector() {}

  static void inject(Instrumentation inst) throws ReflectiveOperationException, IOException {
    Module javaBase = Object.class.getModule();
    inst.redefineModule(javaBase, Set.of(), Map.of(),
        Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())), Set.of(), Map.of());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    Method define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, ProtectionDomain.class);
    ClassLoader agentLoader = BootstrapInjector.class.getClassLoader();
    for (String name : BRIDGE_CLASSES) {
      String resource = name.replace('.', '/') + ".class";
      byte[] bytes;
      try (InputStream in = agentLoader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("agent jar lacks " + resource);
        }
        bytes = in.readAllBytes();
      }
      define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
    }
  }
}
