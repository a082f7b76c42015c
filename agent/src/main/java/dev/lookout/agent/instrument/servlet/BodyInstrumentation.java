package dev.lookout.agent.instrument.servlet;

import static dev.lookout.agent.instrument.Signatures.returnsType;
import static dev.lookout.agent.instrument.Signatures.takes;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.SeesClass;
import dev.lookout.agent.instrument.Weaver;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Where body advice goes ({@code lookout.capture.bodies}): the read methods of every concrete
 * {@code ServletInputStream}, the write methods of every {@code ServletOutputStream},
 * {@code getWriter()} of every response, and the write methods of {@code PrintWriter} subclasses
 * in loaders that see a servlet API (the container's response writer among them; the advice
 * records only the writer {@code getWriter()} returned). Installed only when bodies are captured.
 */
public final class BodyInstrumentation {

  /** The names of the advised methods: a class must declare one ({@link dev.lookout.agent.instrument.ClassGate}). */
  public static final java.util.List<String> MARKERS = java.util.List.of("read", "readLine", "write", "getWriter");

  private BodyInstrumentation() {}

  public static void apply(Weaver weaver) {
    for (String ns : new String[] {"jakarta.servlet", "javax.servlet"}) {
      SeesClass api = SeesClass.named(ns + ".Servlet");
      weaver
          .type(hasSuperType(named(ns + ".ServletInputStream")).and(not(isInterface())), api)
          .advice(concrete("read").and(takesArguments(0)).and(returnsType(int.class)), name("ReadByte"))
          .advice(concrete("read").and(takes(byte[].class, int.class, int.class)), name("ReadRange"))
          .advice(concrete("readLine").and(takes(byte[].class, int.class, int.class)), name("ReadRange"))
          .advice(concrete("read").and(takes(byte[].class)), name("ReadArray"))
          .advice(concrete("read").and(takes(ByteBuffer.class)), name("ReadBuffer"))
          .type(hasSuperType(named(ns + ".ServletOutputStream")).and(not(isInterface())), api)
          .advice(concrete("write").and(takes(int.class)), name("WriteByte"))
          .advice(concrete("write").and(takes(byte[].class, int.class, int.class)), name("WriteRange"))
          .advice(concrete("write").and(takes(byte[].class)), name("WriteArray"))
          .advice(concrete("write").and(takes(ByteBuffer.class)), name("WriteBuffer"))
          .type(hasSuperType(named(ns + ".ServletResponse")).and(not(isInterface())), api)
          .advice(concrete("getWriter").and(takesArguments(0)), name("GetWriter"));
    }
    weaver
        .type(hasSuperType(named(PrintWriter.class.getName())),
            SeesClass.named("jakarta.servlet.Servlet").or(SeesClass.named("javax.servlet.Servlet")))
        .advice(concrete("write").and(takes(int.class)), name("WriterChar"))
        .advice(concrete("write").and(takes(char[].class, int.class, int.class)), name("WriterChars"))
        .advice(concrete("write").and(takes(char[].class)), name("WriterCharArray"))
        .advice(concrete("write").and(takes(String.class, int.class, int.class)), name("WriterStringRange"))
        .advice(concrete("write").and(takes(String.class)), name("WriterString"));
  }

  private static ElementMatcher.Junction<MethodDescription> concrete(String method) {
    return named(method).and(isPublic()).and(not(isAbstract()));
  }

  private static String name(String nested) {
    return BodyStreamAdvice.class.getName() + "$" + nested;
  }
}
