package dev.lookout.agent.instrument.servlet;

import java.io.IOException;
import java.util.Map;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;

/**
 * The javax.servlet advice and helper: the jakarta.servlet ones, with every {@code jakarta/servlet/}
 * type renamed to {@code javax/servlet/} and each class to its javax name. The two servlet APIs
 * differ only in their package, so the code is written once; advice and helpers link against one API
 * each, so each must exist twice as class files. Served to ByteBuddy (advice) and to the
 * {@link dev.lookout.agent.instrument.HelperInjector} (helper) under the javax names; any other
 * name is the agent jar's class as it is.
 */
final class JavaxCopies implements ClassFileLocator {

  private static final String PACKAGE = "dev/lookout/agent/instrument/servlet/";
  /** javax class name to the jakarta class it is a copy of (binary names). */
  static final Map<String, String> COPIES = Map.of(
      "dev.lookout.agent.instrument.servlet.JavaxServletAdvice", JakartaServletAdvice.class.getName(),
      "dev.lookout.agent.instrument.servlet.JavaxServletHelper", JakartaServletHelper.class.getName(),
      "dev.lookout.agent.instrument.servlet.JavaxStartAsyncAdvice", JakartaStartAsyncAdvice.class.getName(),
      "dev.lookout.agent.instrument.servlet.JavaxAsyncCompleteAdvice", JakartaAsyncCompleteAdvice.class.getName());

  private final ClassFileLocator agent;

  JavaxCopies(ClassLoader agentLoader) {
    this.agent = ClassFileLocator.ForClassLoader.of(agentLoader);
  }

  @Override
  public Resolution locate(String name) throws IOException {
    String jakarta = COPIES.get(name);
    if (jakarta == null) {
      return agent.locate(name); // what the copies refer to (the bridge, ByteBuddy's annotations) as it is
    }
    return new Resolution.Explicit(toJavax(agent.locate(jakarta).resolve()));
  }

  @Override
  public void close() throws IOException {
    agent.close();
  }

  /** The class file with the jakarta.servlet API and the jakarta copies' names replaced by the javax ones. */
  static byte[] toJavax(byte[] classFile) {
    ClassWriter out = new ClassWriter(0);
    new ClassReader(classFile).accept(new ClassRemapper(out, new Remapper() {
      @Override
      public String map(String internalName) {
        if (internalName.startsWith("jakarta/servlet/")) {
          return "javax/servlet/" + internalName.substring("jakarta/servlet/".length());
        }
        if (internalName.startsWith(PACKAGE + "Jakarta")) {
          return PACKAGE + "Javax" + internalName.substring((PACKAGE + "Jakarta").length());
        }
        return internalName;
      }
    }), 0);
    return out.toByteArray();
  }
}
