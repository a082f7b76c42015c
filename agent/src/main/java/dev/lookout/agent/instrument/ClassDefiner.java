package dev.lookout.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Defines the agent's classes in other class loaders: the bootstrap bridge, and the helpers that
 * advice calls in the loaders of the classes it is woven into. Through the JDK's internal
 * {@code Unsafe.defineClass}, opened to the agent alone by the instrumentation API made for that; not
 * through {@code sun.misc.Unsafe}, which prints deprecation warnings from JDK 24 on, nor by reflection
 * into {@code ClassLoader}, which would need the application's command line to open {@code java.lang}.
 */
public final class ClassDefiner {

  private static Object unsafe;
  private static Method define;

  private ClassDefiner() {}

  /** Opens {@code jdk.internal.misc} to the agent; before any {@link #define}. */
  public static synchronized void open(Instrumentation inst) throws ReflectiveOperationException {
    if (define != null) {
      return;
    }
    inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
        Map.of("jdk.internal.misc", Set.of(ClassDefiner.class.getModule())), Set.of(), Map.of());
    Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
    unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
    define = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
        ClassLoader.class, ProtectionDomain.class);
  }

  /** The class file of one of the agent's classes (binary name), as the agent jar holds it. */
  public static byte[] classFile(String name, ClassLoader agentLoader) throws IOException {
    String resource = name.replace('.', '/') + ".class";
    try (InputStream in = agentLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("agent jar lacks " + resource);
      }
      return in.readAllBytes();
    }
  }

  /** Defines {@code name} in {@code loader} (null: the bootstrap loader). */
  public static synchronized void define(String name, byte[] classFile, ClassLoader loader)
      throws ReflectiveOperationException {
    if (define == null) {
      throw new IllegalStateException("ClassDefiner.open was not called");
    }
    try {
      define.invoke(unsafe, name, classFile, 0, classFile.length, loader, null);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof LinkageError) {
        throw (LinkageError) e.getCause();
      }
      throw e;
    }
  }
}
