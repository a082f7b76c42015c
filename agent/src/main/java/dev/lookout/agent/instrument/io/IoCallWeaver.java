package dev.lookout.agent.instrument.io;

import dev.lookout.agent.bootstrap.IoHooks;
import dev.lookout.agent.bootstrap.IoSites;
import dev.lookout.agent.instrument.ClassGate;
import dev.lookout.agent.instrument.WeaveCache;
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
 * Names the call site of an application's file I/O where the call is made, not by walking the stack
 * when the agent records it. A walk ({@link CallSites}) costs a server 5-35 us a request, most of what
 * the agent costs a server that sends a file per request: the copy of the file between two walks
 * evicts the frames' metadata from the caches. In each class of the application, as it loads:
 *
 * <ul>
 *   <li>a call of {@code FileChannel.transferTo} or {@code transferFrom} becomes a call of
 *       {@link IoSites} with one more argument: the text a stack walk would have found,
 *       {@code class.method:line}, as a constant of the class;
 *   <li>a call of {@code read(byte[])} or {@code read(byte[], int, int)} on an {@code InputStream}, a
 *       {@code FileInputStream} or a {@code RandomAccessFile}, and of {@code read(ByteBuffer)} on a file,
 *       readable or seekable channel, is preceded by {@link IoSites#nextRead} with its receiver and that
 *       text: the call itself stays as it was, so no frame of the agent's is added to the application's
 *       reads (and their exceptions' stack traces).
 * </ul>
 *
 * <p>Woven are exactly the classes whose call the walk would name: not the JDK's, the agent's or a
 * well-known framework's (the walk goes past those to the application above them, and still does). Left
 * to the walk are also classes of named modules (they read no unnamed module, where the bootstrap bridge
 * is), classes of the bootstrap loader and of the embedded collector, and classes loaded before the agent
 * (an agent attached late). A class file is read only if its bytes name one of those types; nothing else
 * in it changes, and a class that cannot be read is left as it is. What it decides is kept in the
 * {@link WeaveCache}, as the other weavers' is, and taken from there at later starts.
 */
public final class IoCallWeaver implements ClassFileTransformer {

  private static final String FILE_CHANNEL = "java/nio/channels/FileChannel";
  private static final String TO = "transferTo";
  private static final String TO_DESCRIPTOR = "(JJLjava/nio/channels/WritableByteChannel;)J";
  private static final String FROM = "transferFrom";
  private static final String FROM_DESCRIPTOR = "(Ljava/nio/channels/ReadableByteChannel;JJ)J";
  private static final String READ = "read";
  private static final String READ_ARRAY = "([B)I";
  private static final String READ_RANGE = "([BII)I";
  private static final String READ_BUFFER = "(Ljava/nio/ByteBuffer;)I";
  /** The types whose reads are woven, with the reads each takes. */
  private static final String[][] READS = {
      {"java/io/InputStream", READ_ARRAY, READ_RANGE},
      {"java/io/FileInputStream", READ_ARRAY, READ_RANGE},
      {"java/io/RandomAccessFile", READ_ARRAY, READ_RANGE},
      {FILE_CHANNEL, READ_BUFFER},
      {"java/nio/channels/ReadableByteChannel", READ_BUFFER},
      {"java/nio/channels/SeekableByteChannel", READ_BUFFER},
  };
  /** What a class file names when it may make one of those calls (a type above, or a channel type). */
  private static final String[] MARKS = {"java/io/InputStream", "java/io/FileInputStream", "java/io/RandomAccessFile",
      "java/nio/channels/"};
  private static final String SITES = IoSites.class.getName().replace('.', '/');
  private static final String NEXT_READ = "nextRead";
  private static final String NEXT_READ_DESCRIPTOR = "(Ljava/lang/Object;Ljava/lang/String;)V";

  /** What this weaver is, for the {@link WeaveCache}: a change to what it weaves must change the text. */
  private static final String RULES = "io calls 2: transferTo, transferFrom through " + SITES + "; nextRead before "
      + java.util.Arrays.deepToString(READS);
  /** The context of every entry: what this weaver decides depends on the class's name and bytes alone. */
  private static final String CONTEXT = "-";

  private final Weaver.Listener listener;
  private final WeaveCache.Space space;

  /** @param cache where what it decides is kept, and taken from at later starts; null: none */
  public IoCallWeaver(Weaver.Listener listener, WeaveCache cache) {
    this.listener = listener;
    this.space = cache == null ? null : cache.space(RULES);
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] classFile) {
    if (loader == null || internalName == null || classFile == null || redefined != null
        || module != null && module.isNamed() || ClassGate.isEmbeddedCollector(loader)) {
      return null;
    }
    String name = internalName.replace('/', '.');
    if (!CallSites.isApplication(name) || !mayCall(classFile)) {
      return null;
    }
    // the cache's files are the agent's I/O, not the application's
    IoHooks.Counters agentWork = IoHooks.agentWork();
    try {
      WeaveCache.Entry earlier = space == null ? null : space.find(internalName, CONTEXT, classFile);
      if (earlier != null) {
        if (earlier.woven != null) {
          listener.cached(name);
        }
        return earlier.woven;
      }
      byte[] woven = weave(name, classFile);
      if (space != null) {
        space.put(internalName, CONTEXT, classFile, woven == null ? 0 : 1, woven);
      }
      if (woven != null) {
        listener.woven(name);
      }
      return woven;
    } catch (Throwable t) {
      listener.failed(name, t);
      return null;
    } finally {
      IoHooks.agentWorkDone(agentWork);
    }
  }

  /** The class file with its file I/O calls woven, or null when it makes none. */
  static byte[] weave(String className, byte[] classFile) {
    ClassReader reader = OpenedClassReader.of(classFile);
    ClassWriter writer = new ClassWriter(reader, 0);
    Calls calls = new Calls(writer, className);
    reader.accept(calls, 0);
    return calls.woven ? writer.toByteArray() : null;
  }

  /**
   * Whether the class file names a type whose calls are woven: a string search, as {@code ClassGate}'s,
   * on a Latin-1 copy of the bytes (each byte one char), which the JDK's own {@code indexOf} makes fast
   * from the first class on, where a loop of the agent's would be compiled and recompiled during the
   * application's start.
   */
  static boolean mayCall(byte[] classFile) {
    String text = new String(classFile, StandardCharsets.ISO_8859_1);
    for (String mark : MARKS) {
      if (text.contains(mark)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code owner.name descriptor}, called virtually, is a read whose site is woven. */
  static boolean isRead(String owner, String name, String descriptor) {
    if (!READ.equals(name)) {
      return false;
    }
    for (String[] type : READS) {
      if (type[0].equals(owner)) {
        for (int i = 1; i < type.length; i++) {
          if (type[i].equals(descriptor)) {
            return true;
          }
        }
      }
    }
    return false;
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
      /** Operand stack slots the woven code needs above what the method needed. */
      private int extraStack;

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
          super.visitLdcInsn(site());
          super.visitMethodInsn(Opcodes.INVOKESTATIC, SITES, method,
              "(L" + FILE_CHANNEL + ";" + descriptor.substring(1, descriptor.indexOf(')')) + "Ljava/lang/String;)J",
              false);
          extraStack = Math.max(extraStack, 1);
          woven = true;
          return;
        }
        if ((opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE) && isRead(owner, method, descriptor)) {
          copyReceiverToTop(descriptor);
          super.visitLdcInsn(site());
          super.visitMethodInsn(Opcodes.INVOKESTATIC, SITES, NEXT_READ, NEXT_READ_DESCRIPTOR, false);
          extraStack = Math.max(extraStack, 2);
          woven = true;
        }
        super.visitMethodInsn(opcode, owner, method, descriptor, isInterface);
      }

      /**
       * Pushes a copy of the receiver above the call's operands, which stay as they are: below one
       * argument ({@code read(byte[])}, {@code read(ByteBuffer)}) or three ({@code read(byte[], int, int)}),
       * all of one slot each.
       */
      private void copyReceiverToTop(String descriptor) {
        if (READ_RANGE.equals(descriptor)) {
          // r b off len -> off len r b off len -> off len r b -> r b off len r b -> r b off len r
          super.visitInsn(Opcodes.DUP2_X2);
          super.visitInsn(Opcodes.POP2);
          super.visitInsn(Opcodes.DUP2_X2);
          super.visitInsn(Opcodes.POP);
        } else {
          // r a -> r a r a -> r a r
          super.visitInsn(Opcodes.DUP2);
          super.visitInsn(Opcodes.POP);
        }
      }

      private String site() {
        return CallSites.text(className, name, line);
      }

      @Override
      public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + extraStack, maxLocals);
      }
    }
  }
}
