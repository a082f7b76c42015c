package dev.lookout.agent.instrument;

import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * What a class file must show before ByteBuddy sees it. A registered transformer is called for every
 * class the JVM loads from then on, and ByteBuddy parses each one to match it; behind this gate it
 * parses only the classes it may change: those named exactly, and those whose class file contains
 * one of the markers (a method name or descriptor that any class the advice applies to must declare,
 * so the gate only ever skips classes the advice would have left alone). The test is a string search
 * on bytes the JVM already holds; the JDK's own startup thousands of classes never reach ByteBuddy,
 * nor does ByteBuddy's JIT-compiled matching code have to be compiled for them.
 */
public final class ClassGate implements AgentBuilder.TransformerDecorator {

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
        return true;
      }
    }
    return false;
  }

  @Override
  public ResettableClassFileTransformer decorate(ResettableClassFileTransformer transformer) {
    return new Gated(transformer, this);
  }

  /** The registered transformer: the gate, then ByteBuddy's. */
  private static final class Gated extends ResettableClassFileTransformer.WithDelegation {
    private final ClassGate gate;

    Gated(ResettableClassFileTransformer transformer, ClassGate gate) {
      super(transformer);
      this.gate = gate;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
        byte[] classFile) throws IllegalClassFormatException {
      return gate.admits(name, classFile)
          ? classFileTransformer.transform(loader, name, redefined, domain, classFile)
          : null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
        ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
      return gate.admits(name, classFile)
          ? classFileTransformer.transform(module, loader, name, redefined, domain, classFile)
          : null;
    }
  }
}
