package dev.lookout.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeSet;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of all super types of a class, as its loader's class files show them: read with
 * {@link ClassFileView} from the files the loader serves as resources, which is where ByteBuddy's type
 * pool reads them for matchers such as {@code hasSuperType}. The direct super types of each type are kept
 * per loader (held weakly), so {@code java/lang/Object} is read once per loader, not once per class.
 */
final class SuperTypeNames {

  /** Serves the bootstrap loader's class files, as ByteBuddy's locator does for a null loader. */
  private static final ClassLoader BOOT = new URLClassLoader(new URL[0], null);
  private static final String[] UNREADABLE = new String[0];

  private final Map<ClassLoader, Map<String, String[]>> direct = new WeakHashMap<>();

  /**
   * The sorted names of every super type of {@code classFile} (internal names, {@code ;} between
   * them), or null when the class file of one of them cannot be read or understood.
   */
  String of(ClassLoader loader, byte[] classFile) {
    TreeSet<String> all = new TreeSet<>();
    ArrayDeque<String> next = new ArrayDeque<>();
    try {
      for (String name : new ClassFileView(classFile).superTypes()) {
        next.add(name);
      }
    } catch (RuntimeException malformed) {
      return null;
    }
    while (!next.isEmpty()) {
      String name = next.poll();
      if (all.add(name)) {
        String[] supers = directOf(loader, name);
        if (supers == UNREADABLE) {
          return null;
        }
        for (String s : supers) {
          next.add(s);
        }
      }
    }
    return String.join(";", all);
  }

  private String[] directOf(ClassLoader loader, String name) {
    Map<String, String[]> known;
    synchronized (direct) {
      known = direct.get(loader);
      if (known == null) {
        known = new ConcurrentHashMap<>();
        direct.put(loader, known);
      }
    }
    String[] supers = known.get(name);
    if (supers == null) {
      supers = read(loader == null ? BOOT : loader, name);
      known.put(name, supers);
    }
    return supers;
  }

  private static String[] read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name + ".class")) {
      return in == null ? UNREADABLE : new ClassFileView(in.readAllBytes()).superTypes();
    } catch (IOException | RuntimeException e) {
      return UNREADABLE;
    }
  }
}
