package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.TransferSites;
import dev.lookout.agent.embedded.EmbeddedCollector;
import dev.lookout.agent.instrument.Weaver;
import dev.lookout.agent.io.CallSites;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Names the call site of an application's file transfer where the call is made, not by walking the
 * stack when the transfer ends. In each class of the application that calls {@code FileChannel.transferTo}
 * or {@code transferFrom} itself, the call becomes a call of {@link TransferSites} with one more argument:
 * the text a stack walk would have found, {@code class.method:line}, as a constant of the class. The walk
 * ({@link CallSites}) cost a server that sends a file per request 15-35 us a request, most of what the
 * agent cost it: the copy of the file between two walks evicts the frames' metadata from the caches.
 *
 * <p>Woven are exactly the classes whose call the walk would name: not the JDK's, the agent's or a
 * well-known framework's (the walk goes past those to the application above them, and still does). Left
 * to the walk are also classes of named modules (they read no unnamed module, where the bootstrap bridge
 * is), classes of the bootstrap loader and of the embedded collector, and classes loaded before the agent
 * (an agent attached late). A class file is looked at only if its bytes hold {@code FileChannel} and
 * {@code transfer}; nothing else in it changes, and a class that cannot be read is left as it is.
 */
public final class TransferCallWeaver implements ClassFileTransformer {

  private static final String FILE_CHANNEL = "java/nio/channels/FileChannel";
  private static final String TO = "transferTo";
  private static final String TO_DESCRIPTOR = "(JJLjava/nio/channels/WritableByteChannel;)J";
  private static final String FROM = "transferFrom";
  private static final String FROM_DESCRIPTOR = "(Ljava/nio/channels/ReadableByteChannel;JJ)J";
  private static final String SITES = TransferSites.class.getName().replace('.', '/');

  private final Weaver.Listener listener;

  public TransferCallWeaver(Weaver.Listener listener) {
    this.listener = listener;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] classFile) {
    if (loader == null || internalName == null || classFile == null || redefined != null
        || module != null && module.isNamed() || EmbeddedCollector.LOADER_NAME.equals(loader.getName())) {
      return null;
    }
    String name = internalName.replace('/', '.');
    if (!CallSites.isApplication(name) || !mayTransfer(classFile)) {
      return null;
    }
    try {
      byte[] woven = weave(name, classFile);
      if (woven != null) {
        listener.woven(name);
      }
      return woven;
    } catch (Throwable t) {
      listener.failed(name, t);
      return null;
    }
  }

  /** The class file with its calls of the two transfers woven, or null when it makes none. */
  static byte[] weave(String className, byte[] classFile) {
    ClassReader reader = OpenedClassReader.of(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    Calls calls = new Calls(writer, className);
    reader.accept(calls, 0);
    return calls.woven ? writer.toByteArray() : null;
  }

  /**
   * Whether the class file names the file channel and a transfer: a string search, as {@code ClassGate}'s,
   * on a Latin-1 copy of the bytes (each byte one char), which the JDK's own {@code indexOf} makes fast
   * from the first class on, where a loop of the agent's would be compiled and recompiled during the
   * application's start.
   */
  static boolean mayTransfer(byte[] classFile) {
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    return text.contains(FILE_CHANNEL) && text.contains("transfer");
  }

  private static final class Calls extends ClassVisitor {
    private final String className;
    boolean woven;

    Calls(ClassVisitor next, String className) {
      super(OpenedClassReader.ASM_API, next);
      this.className = className;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      return new Method(super.visitMethod(access, name, descriptor, signature, exceptions), name);
    }

    private final class Method extends MethodVisitor {
      private final String name;
      /** The line of the instructions visited now: the last line entry before them, as the JVM maps them. */
      private int line;
      private boolean changed;

      Method(MethodVisitor next, String name) {
        super(OpenedClassReader.ASM_API, next);
        this.name = name;
      }

      @Override
      public void visitLineNumber(int line, Label start) {
        this.line = line;
        super.visitLineNumber(line, start);
      }

      @Override
      public void visitMethodInsn(int opcode, String owner, String method, String descriptor, boolean isInterface) {
        if (opcode == Opcodes.INVOKEVIRTUAL && FILE_CHANNEL.equals(owner)
            && (TO.equals(method) && TO_DESCRIPTOR.equals(descriptor)
                || FROM.equals(method) && FROM_DESCRIPTOR.equals(descriptor))) {
          // the operands stay as they are (channel, then the call's own); the site is one more
          super.visitLdcInsn(CallSites.text(className, name, line));
          super.visitMethodInsn(Opcodes.INVOKESTATIC, SITES, method,
              "(L" + FILE_CHANNEL + ";" + descriptor.substring(1, descriptor.indexOf(')')) + "Ljava/lang/String;)J",
              false);
          changed = true;
          woven = true;
          return;
        }
        super.visitMethodInsn(opcode, owner, method, descriptor, isInterface);
      }

      @Override
      public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(changed ? maxStack + 1 : maxStack, maxLocals);
      }
    }
  }
}
