package dev.lookout.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassFileViewTest {

  /** Four methods and a field, in this order in its class file. */
  public static class Several implements Runnable, java.io.Serializable {
    private int count;

    public int b() {
      return count + 1;
    }

    public String a(String s) {
      return s + "a";
    }

    @Override
    public void run() {
      count++;
    }
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void superTypesAreTheSuperClassThenTheInterfaces() throws Exception {
    assertArrayEquals(new String[] {"java/lang/Object", "java/lang/Runnable", "java/io/Serializable"},
        new ClassFileView(classFile(Several.class)).superTypes());
    assertArrayEquals(new String[0], new ClassFileView(classFile(Object.class)).superTypes());
    assertArrayEquals(new String[] {"java/lang/Object"}, new ClassFileView(classFile(Runnable.class)).superTypes(),
        "an interface's super class is Object");
  }

  @Test
  void methodsInAnotherOrderSortToTheSameBytes() throws Exception {
    byte[] original = classFile(Several.class);
    ClassFileView view = new ClassFileView(original);
    int methods = view.methodBounds().length - 1;
    assertEquals(4, methods, "the constructor and three");
    int[] reversed = new int[methods];
    for (int m = 0; m < methods; m++) {
      reversed[m] = methods - 1 - m;
    }
    byte[] reordered = view.withMethodsIn(reversed);
    assertFalse(Arrays.equals(original, reordered));
    assertEquals(original.length, reordered.length);
    byte[] sorted = new ClassFileView(original).withMethodsSorted();
    assertArrayEquals(sorted, new ClassFileView(reordered).withMethodsSorted());

    // still the same class: it loads and runs
    Class<?> loaded = new ClassLoader(getClass().getClassLoader()) {
      Class<?> define() {
        return defineClass(Several.class.getName(), sorted, 0, sorted.length);
      }
    }.define();
    Object several = loaded.getConstructor().newInstance();
    ((Runnable) several).run();
    assertEquals(2, loaded.getMethod("b").invoke(several));
    assertEquals("xa", loaded.getMethod("a", String.class).invoke(several, "x"));
  }

  @Test
  void aClassOfOneMethodIsLeftAsItIs() throws Exception {
    byte[] one = classFile(Runnable.class);
    assertSame(one, new ClassFileView(one).withMethodsSorted());
  }

  @Test
  void aFileThatIsNoClassFileIsRefused() {
    byte[] garbage = {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 0, 0, 0, 61, 0, 3, 99, 0, 0, 0};
    assertThrows(RuntimeException.class, () -> new ClassFileView(garbage));
    assertThrows(RuntimeException.class, () -> new ClassFileView(new byte[4]));
  }
}
