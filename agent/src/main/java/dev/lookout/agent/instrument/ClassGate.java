package dev.lookout.agent.instrument;

import dev.lookout.agent.embedded.EmbeddedCollector;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * What a class file must show before ByteBuddy sees it ({@link Weaver}). A registered transformer is called for every
 * class the JVM loads from then on, and ByteBuddy parses each one to match it; behind this gate it
 * parses only the classes it may change: those named exactly, and those that declare a method a
 * marker names (a method name, or a fragment of a method descriptor when the marker holds a
 * {@code /}, {@code ;} or {@code (}). Every class the advice applies to declares such a method, so the
 * gate only ever skips classes the advice would have left alone. The test is a string search on the
 * bytes the JVM already holds, then, for the few files that contain a marker at all, a walk over the
 * methods they declare: a class that only calls {@code doFilter} or mentions {@code complete} (most
 * of a container's classes) never reaches ByteBuddy. The JDK's own thousands of classes never do
 * either, nor does ByteBuddy's matching code have to be compiled for them.
 */
public final class ClassGate {

  private final Set<String> internalNames;
  private final String[] markers;

  private ClassGate(Collection<String> classNames, Collection<String> markers) {
    this.internalNames = new HashSet<>();
    for (String name : classNames) {
      internalNames.add(name.replace('.', '/'));
    }
    this.markers = markers.toArray(new String[0]);
  }

  /** Admits exactly these classes (binary names) and classes whose file contains a marker (ASCII). */
  public static ClassGate of(Collection<String> classNames, Collection<String> markers) {
    return new ClassGate(classNames, markers);
  }

  /** Whether a class of {@code loader} may be changed by the advice behind this gate. */
  public boolean admits(ClassLoader loader, String internalName, byte[] classFile) {
    if (isEmbeddedCollector(loader)) {
      return false;
    }
    return admits(internalName, classFile);
  }

  /** Whether {@code loader} is the embedded collector's: the agent's own, its servlets, logs and I/O not the application's. */
  public static boolean isEmbeddedCollector(ClassLoader loader) {
    return loader != null && EmbeddedCollector.LOADER_NAME.equals(loader.getName());
  }

  /** Whether the class may be changed by the advice behind this gate. */
  public boolean admits(String internalName, byte[] classFile) {
    if (internalName == null || classFile == null) {
      return false; // hidden classes and lambdas: never advised
    }
    if (internalNames.contains(internalName)) {
      return true;
    }
    if (markers.length == 0) {
      return false;
    }
    // Latin-1 maps each byte to one char, so an ASCII marker is found exactly where its bytes are.
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    for (String marker : markers) {
      if (text.contains(marker)) {
        return declaresMarked(classFile, markers);
      }
    }
    return false;
  }

  /** Whether a marker is a descriptor fragment rather than a method name. */
  private static boolean isDescriptorFragment(String marker) {
    return marker.indexOf('/') >= 0 || marker.indexOf(';') >= 0 || marker.indexOf('(') >= 0;
  }

  /**
   * Whether the class file declares a method whose name is a marker or whose descriptor contains a
   * descriptor marker. A file this walk cannot follow (a constant it does not know) is admitted:
   * ByteBuddy then judges it as before.
   */
  static boolean declaresMarked(byte[] b, String[] markers) {
    try {
      ClassFileView view = new ClassFileView(b);
      return view.anyMethod(new Marked(view, markers));
    } catch (RuntimeException malformed) {
      return true;
    }
  }

  /** A method whose name is a marker or whose descriptor contains a descriptor marker (no lambda: none is linked this early). */
  private static final class Marked implements ClassFileView.MethodVisitor {
    private final ClassFileView view;
    private final String[] markers;

    Marked(ClassFileView view, String[] markers) {
      this.view = view;
      this.markers = markers;
    }

    @Override
    public boolean visit(int name, int descriptor) {
      for (String marker : markers) {
        if (isDescriptorFragment(marker) ? view.contains(descriptor, marker) : view.equal(name, marker)) {
          return true;
        }
      }
      return false;
    }
  }
}
