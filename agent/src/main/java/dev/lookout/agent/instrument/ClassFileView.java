package dev.lookout.agent.instrument;

import java.nio.charset.StandardCharsets;

/**
 * A class file's constant pool and header, read in place without ASM: what the {@link ClassGate} and
 * the {@link WeaveCache} need to know about a class before (or instead of) ByteBuddy describing it.
 * A file whose constant pool holds a tag this view does not know, or that ends early, makes the
 * constructor throw a {@link RuntimeException}.
 */
final class ClassFileView {

  private final byte[] b;
  /** For each constant: where a Utf8 constant's length is, where a Class constant's name index is; 0 else. */
  private final int[] at;
  /** Where the access flags are, right after the constant pool. */
  private final int header;

  ClassFileView(byte[] b) {
    this.b = b;
    int count = u2(8);
    at = new int[count];
    int i = 10;
    for (int k = 1; k < count; k++) {
      switch (b[i] & 0xff) {
        case 1: // Utf8
          at[k] = i + 1;
          i += 3 + u2(i + 1);
          break;
        case 7: // Class
          at[k] = i + 1;
          i += 3;
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
          throw new IllegalArgumentException("constant tag " + (b[i] & 0xff));
      }
    }
    header = i;
  }

  /** The internal names of the direct super class (none for {@code java/lang/Object}) and interfaces. */
  String[] superTypes() {
    int superClass = u2(header + 4);
    int interfaces = u2(header + 6);
    String[] names = new String[(superClass == 0 ? 0 : 1) + interfaces];
    int n = 0;
    if (superClass != 0) {
      names[n++] = className(superClass);
    }
    for (int j = 0; j < interfaces; j++) {
      names[n++] = className(u2(header + 8 + 2 * j));
    }
    return names;
  }

  /**
   * The class file with its methods in one order, whatever order they came in: a class the JVM
   * reconstitutes for retransformation lists them in the order of their names' addresses in its symbol
   * table, which changes from one run to the next, and nothing else differs. (Fields keep their order: a
   * retransformation must keep it too.) The same array when it holds fewer than two methods.
   */
  byte[] withMethodsSorted() {
    int[] starts = methodBounds();
    int count = starts.length - 1;
    if (count < 2) {
      return b;
    }
    int[] order = new int[count]; // insertion sort of a few hundred methods at most; no lambda this early
    for (int m = 0; m < count; m++) {
      int j = m;
      while (j > 0 && java.util.Arrays.compareUnsigned(b, starts[order[j - 1]], starts[order[j - 1] + 1], b, starts[m],
          starts[m + 1]) > 0) {
        order[j] = order[j - 1];
        j--;
      }
      order[j] = m;
    }
    return withMethodsIn(order);
  }

  /** Where each method starts, and where the last one ends. */
  int[] methodBounds() {
    int i = methodsCount();
    int count = u2(i);
    int[] starts = new int[count + 1];
    int at = i + 2;
    for (int m = 0; m < count; m++) {
      starts[m] = at;
      at = skipMember(at);
    }
    starts[count] = at;
    return starts;
  }

  /** The class file with its methods in {@code order} (their indexes as the file lists them). */
  byte[] withMethodsIn(int[] order) {
    int[] starts = methodBounds();
    byte[] copy = b.clone();
    int to = starts[0];
    for (int m : order) {
      int length = starts[m + 1] - starts[m];
      System.arraycopy(b, starts[m], copy, to, length);
      to += length;
    }
    return copy;
  }

  /** Where the count of methods is. */
  private int methodsCount() {
    int i = header + 6;
    i += 2 + 2 * u2(i); // interfaces
    int fields = u2(i);
    i += 2;
    for (int f = 0; f < fields; f++) {
      i = skipMember(i);
    }
    return i;
  }

  /**
   * Calls {@code visitor} with each declared method's name and descriptor (as offsets of their Utf8
   * constants, see {@link #equal} and {@link #contains}) until it answers true; returns whether it did.
   */
  boolean anyMethod(MethodVisitor visitor) {
    int i = methodsCount();
    int methods = u2(i);
    i += 2;
    for (int m = 0; m < methods; m++) {
      int name = utf8At(u2(i + 2));
      int descriptor = utf8At(u2(i + 4));
      if (visitor.visit(name, descriptor)) {
        return true;
      }
      i = skipMember(i);
    }
    return false;
  }

  /** Told of one declared method: the offsets of its name's and descriptor's Utf8 constants. */
  interface MethodVisitor {
    boolean visit(int name, int descriptor);
  }

  /** The Utf8 constant at offset {@code at} is {@code ascii}. */
  boolean equal(int at, String ascii) {
    int length = u2(at);
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

  /** The Utf8 constant at offset {@code at} contains {@code ascii}. */
  boolean contains(int at, String ascii) {
    int start = at + 2;
    int last = start + u2(at) - ascii.length();
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

  private String className(int classIndex) {
    if ((b[at[classIndex] - 1] & 0xff) != 7) {
      throw new IllegalArgumentException("constant " + classIndex + " is no class");
    }
    int name = utf8At(u2(at[classIndex]));
    // modified UTF-8 differs from UTF-8 only for NUL and supplementary characters, never in a class name's compare
    return new String(b, name + 2, u2(name), StandardCharsets.UTF_8);
  }

  private int utf8At(int index) {
    int offset = at[index];
    if (offset == 0 || (b[offset - 1] & 0xff) != 1) {
      throw new IllegalArgumentException("constant " + index + " is no Utf8");
    }
    return offset;
  }

  private int skipMember(int i) {
    int attributes = u2(i + 6);
    i += 8;
    for (int a = 0; a < attributes; a++) {
      i += 6 + u4(i + 2);
    }
    return i;
  }

  private int u2(int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  private int u4(int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }
}
