package dev.lookout.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lookout.agent.instrument.logging.LoggingInstrumentation;
import dev.lookout.agent.instrument.servlet.ContainerInstrumentation;
import dev.lookout.agent.instrument.servlet.ServletInstrumentation;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassGateTest {

  /** The application-side gate as the installer builds it (bodies not captured). */
  private static ClassGate appGate() {
    List<String> classes = new ArrayList<>(ContainerInstrumentation.CLASSES);
    classes.addAll(LoggingInstrumentation.CLASSES);
    List<String> markers = new ArrayList<>(ServletInstrumentation.MARKERS);
    markers.addAll(LoggingInstrumentation.MARKERS);
    return ClassGate.of(classes, markers);
  }

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void classesNamedExactlyPassWhateverTheirBytes() {
    ClassGate gate = appGate();
    assertTrue(gate.admits("org/eclipse/jetty/ee10/servlet/ServletChannel", new byte[0]));
    assertTrue(gate.admits("ch/qos/logback/classic/Logger", new byte[] {1, 2, 3}));
  }

  @Test
  void aServletDeclaringServicePassesOnItsDescriptor() throws IOException {
    ClassGate gate = appGate();
    assertTrue(gate.admits("dev/lookout/agent/instrument/ClassGateTest$SomeServlet", classFile(SomeServlet.class)));
    assertTrue(gate.admits("dev/lookout/agent/instrument/ClassGateTest$SomeFilter", classFile(SomeFilter.class)));
    assertTrue(gate.admits("dev/lookout/agent/instrument/ClassGateTest$SomeAsync", classFile(SomeAsync.class)));
  }

  @Test
  void aClassWithNothingToAdviseNeverReachesByteBuddy() throws IOException {
    ClassGate gate = appGate();
    assertFalse(gate.admits("dev/lookout/agent/instrument/ClassGateTest$Plain", classFile(Plain.class)));
    assertFalse(gate.admits("dev/lookout/agent/instrument/ClassGateTest", classFile(ClassGateTest.class)));
    assertFalse(gate.admits(null, classFile(Plain.class)), "hidden classes and lambdas have no name");
  }

  @Test
  void aClassThatOnlyCallsOrMentionsWhatIsAdvisedNeverReachesByteBuddy() throws IOException {
    ClassGate gate = appGate();
    byte[] caller = classFile(CallsTheChain.class);
    String text = new String(caller, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertTrue(text.contains("/ServletRequest;L") && text.contains("complete"), "the markers are in its constants");
    assertFalse(gate.admits("dev/lookout/agent/instrument/ClassGateTest$CallsTheChain", caller));
  }

  @Test
  void markersMatchDeclaredNamesExactlyAndDescriptorsByFragment() throws IOException {
    byte[] async = classFile(SomeAsync.class);
    assertTrue(ClassGate.declaresMarked(async, new String[] {"complete"}));
    assertFalse(ClassGate.declaresMarked(async, new String[] {"complet"}), "a name matches whole");
    assertTrue(ClassGate.declaresMarked(classFile(SomeFilter.class), new String[] {"/FilterChain;)"}));
    assertFalse(ClassGate.declaresMarked(classFile(Plain.class), new String[] {"complete", "/ServletRequest;L"}));
    assertTrue(ClassGate.declaresMarked(classFile(Plain.class), new String[] {"add"}));
    assertTrue(ClassGate.declaresMarked(classFile(WithEveryConstant.class), new String[] {"declaredLast"}),
        "longs, doubles, strings, method handles and dynamic call sites before the methods");
  }

  @Test
  void aFileTheWalkCannotFollowIsLeftToByteBuddy() throws IOException {
    byte[] broken = classFile(SomeServlet.class);
    broken = java.util.Arrays.copyOf(broken, broken.length / 2);
    assertTrue(ClassGate.declaresMarked(broken, new String[] {"nothing"}));
  }

  @Test
  void aGateOfNamesOnlyAdmitsThoseNames() throws IOException {
    ClassGate gate = ClassGate.of(List.of("java.lang.Thread"), List.of());
    assertTrue(gate.admits("java/lang/Thread", classFile(Plain.class)));
    assertFalse(gate.admits("dev/lookout/agent/instrument/ClassGateTest$SomeServlet", classFile(SomeServlet.class)));
  }

  static final class Plain {
    int add(int a, int b) {
      return a + b;
    }
  }

  abstract static class SomeServlet implements jakarta.servlet.Servlet {
    @Override
    public void service(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {}
  }

  abstract static class SomeFilter implements javax.servlet.Filter {
    @Override
    public void doFilter(javax.servlet.ServletRequest req, javax.servlet.ServletResponse res,
        javax.servlet.FilterChain chain) {}
  }

  /** Calls the chain and an async context's complete, declares neither. */
  static final class CallsTheChain {
    // the request last: this descriptor does not hold the marker, the call's does
    void pass(javax.servlet.FilterChain chain, jakarta.servlet.AsyncContext async, javax.servlet.ServletResponse res,
        javax.servlet.ServletRequest req) throws Exception {
      chain.doFilter(req, res);
      async.complete();
    }

    boolean onCompleted() {
      return true;
    }
  }

  static final class WithEveryConstant {
    static final long BIG = 1L << 40;
    static final double HALF = 0.5;

    Object constants(String s) {
      java.util.function.Supplier<String> made = () -> s + BIG + HALF + "text";
      return made;
    }

    void declaredLast() {}
  }

  abstract static class SomeAsync implements jakarta.servlet.AsyncContext {
    @Override
    public void complete() {}
  }
}
