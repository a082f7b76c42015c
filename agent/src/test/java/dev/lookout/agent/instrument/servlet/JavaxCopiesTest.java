package dev.lookout.agent.instrument.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JavaxCopiesTest {

  private final JavaxCopies copies = new JavaxCopies(getClass().getClassLoader());

  @Test
  void theCopiesNameTheJavaxApiAndEachOtherNeverTheJakartaOnes() throws Exception {
    for (String javax : JavaxCopies.COPIES.keySet()) {
      String text = new String(copies.locate(javax).resolve(), StandardCharsets.ISO_8859_1);
      // the source file stays the one it was compiled from (JakartaServletHelper.java): true in stack traces
      assertThat(text).doesNotContain("jakarta/servlet/").doesNotContain("servlet/Jakarta");
      assertThat(text).contains("javax/servlet/").contains(javax.replace('.', '/'));
    }
  }

  @Test
  void theHelperCopyLoadsAndLinksAgainstTheJavaxServletApi() throws Exception {
    String name = "dev.lookout.agent.instrument.servlet.JavaxServletHelper";
    byte[] classFile = copies.locate(name).resolve();
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
        if (n.equals(name)) {
          synchronized (this) {
            Class<?> c = findLoadedClass(n);
            return c != null ? c : defineClass(n, classFile, 0, classFile.length);
          }
        }
        return super.loadClass(n, resolve);
      }
    };
    Class<?> helper = loader.loadClass(name);
    Method enter = helper.getMethod("enter", javax.servlet.ServletRequest.class);
    Method exit = helper.getMethod("exit", Object.class, javax.servlet.ServletRequest.class,
        javax.servlet.ServletResponse.class, Throwable.class);
    assertThat(enter.getReturnType()).isEqualTo(Object.class);
    assertThat(Arrays.asList(helper.getDeclaredMethods())).contains(enter, exit);
  }

  @Test
  void otherNamesAreTheAgentsClassesAsTheyAre() throws Exception {
    assertThat(copies.locate(JakartaServletHelper.class.getName()).resolve())
        .isEqualTo(net.bytebuddy.dynamic.ClassFileLocator.ForClassLoader.read(JakartaServletHelper.class));
    assertThat(Map.copyOf(JavaxCopies.COPIES)).hasSize(4);
  }
}
