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
    if (loader != null && EmbeddedCollector.LOADER_NAME.equals(loader.getName())) {
      return false; // the embedded collector is the agent's own: its servlets and logs are not the application's
    }
    return admits(internalName, classFile);
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
      int count = u2(b, 8);
      int[] utf8 = new int[count]; // where each UTF-8 constant's length is; 0 for other constants
      int i = 10;
      for (int k = 1; k < count; k++) {
        switch (b[i] & 0xff) {
          case 1: // Utf8
            utf8[k] = i + 1;
            i += 3 + u2(b, i + 1);
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            i += 5;
            break;
          case 5: // Long
          case 6: // Double: two slots
            i += 9;
            k++;
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            i += 3;
            break;
          case 15: // MethodHandle
            i += 4;
            break;
          default:
            return true;
        }
      }
      i += 6; // access flags, this class, super class
      i += 2 + 2 * u2(b, i); // interfaces
      int fields = u2(b, i);
      i += 2;
      for (int f = 0; f < fields; f++) {
        i = skipMember(b, i);
      }
      int methods = u2(b, i);
      i += 2;
      for (int m = 0; m < methods; m++) {
        int name = utf8[u2(b, i + 2)];
        int descriptor = utf8[u2(b, i + 4)];
        if (name == 0 || descriptor == 0) {
          return true;
        }
        for (String marker : markers) {
          if (isDescriptorFragment(marker) ? contains(b, descriptor, marker) : equal(b, name, marker)) {
            return true;
          }
        }
        i = skipMember(b, i);
      }
      return false;
    } catch (RuntimeException malformed) {
      return true;
    }
  }

  private static int skipMember(byte[] b, int i) {
    int attributes = u2(b, i + 6);
    i += 8;
    for (int a = 0; a < attributes; a++) {
      i += 6 + u4(b, i + 2);
    }
    return i;
  }

  /** The UTF-8 constant at {@code at} (its length first) is {@code ascii}. */
  private static boolean equal(byte[] b, int at, String ascii) {
    int length = u2(b, at);
    if (length != ascii.length()) {
      return false;
    }
    for (int j = 0; j < length; j++) {
      if (b[at + 2 + j] != ascii.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  /** The UTF-8 constant at {@code at} (its length first) contains {@code ascii}. */
  private static boolean contains(byte[] b, int at, String ascii) {
    int start = at + 2;
    int last = start + u2(b, at) - ascii.length();
    for (int p = start; p <= last; p++) {
      int j = 0;
      while (j < ascii.length() && b[p + j] == ascii.charAt(j)) {
        j++;
      }
      if (j == ascii.length()) {
        return true;
      }
    }
    return false;
  }

  private static int u2(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  private static int u4(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }
}
