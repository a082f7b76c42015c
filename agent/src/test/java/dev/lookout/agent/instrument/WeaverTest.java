package dev.lookout.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;

class WeaverTest {

  /** The class woven in these tests: loaded from the woven bytes in a loader of its own. */
  public static class Target {
    public String greet(String name) {
      return "hello " + name;
    }

    public String other() {
      return "other";
    }
  }

  /** Appends "!" to what {@code greet} returns. */
  public static class ExclaimAdvice {
    @Advice.OnMethodExit
    static void exit(@Advice.Return(readOnly = false) String returned) {
      returned = returned + "!";
    }
  }

  private static final String TARGET = Target.class.getName();
  private static final String INTERNAL = TARGET.replace('.', '/');

  private final List<String> transformed = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final AgentBuilder.Listener listener = new AgentBuilder.Listener.Adapter() {
    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      transformed.add(type.getName());
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      errors.add(error);
    }
  };

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private static AgentBuilder.Transformer exclaim() {
    return new AgentBuilder.Transformer.ForAdvice()
        .include(WeaverTest.class.getClassLoader())
        .advice(named("greet"), ExclaimAdvice.class.getName());
  }

  private byte[] weave(Weaver weaver) throws IOException {
    return weaver.transform(getClass().getModule(), getClass().getClassLoader(), INTERNAL, null,
        (ProtectionDomain) null, classFile(Target.class));
  }

  /** Defines the woven class in a loader of its own and calls {@code method} on a new instance. */
  private static Object call(byte[] classFile, String method, Object... args) throws Exception {
    ClassLoader own = new ClassLoader(WeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(TARGET)) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> done = findLoadedClass(name);
            return done != null ? done : defineClass(name, classFile, 0, classFile.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
    Class<?> type = own.loadClass(TARGET);
    Object target = type.getConstructor().newInstance();
    for (Method m : type.getMethods()) {
      if (m.getName().equals(method) && m.getParameterCount() == args.length) {
        return m.invoke(target, args);
      }
    }
    throw new NoSuchMethodException(method);
  }

  @Test
  void aMatchingRuleWeavesItsAdviceIntoTheClassFile() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener)
        .type(named(TARGET)).transform(exclaim());
    byte[] woven = weave(weaver);
    assertNotNull(woven);
    assertEquals("hello you!", call(woven, "greet", "you"));
    assertEquals("other", call(woven, "other"), "only the matched method is advised");
    assertEquals(List.of(TARGET), transformed);
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void aClassTheGateRefusesIsNeitherDescribedNorChanged() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of("some.OtherClass"), List.of()), listener)
        .type(named(TARGET)).transform(exclaim());
    assertNull(weave(weaver));
    assertTrue(transformed.isEmpty());
  }

  @Test
  void anIgnoredPackageIsNeverWovenEvenWhenTheGateAdmitsIt() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, "dev.lookout.agent.")
        .type(named(TARGET)).transform(exclaim());
    assertNull(weave(weaver));
  }

  @Test
  void aClassNoRuleMatchesIsLeftAsItIs() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener)
        .type(named(TARGET), none()).transform(exclaim())
        .type(named("some.OtherClass")).transform(exclaim());
    assertNull(weave(weaver));
    assertTrue(transformed.isEmpty());
  }

  @Test
  void aTransformerThatFailsLeavesTheClassAsItIsAndIsReportedNotThrown() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener)
        .type(named(TARGET)).transform((builder, type, loader, module, domain) -> {
          throw new IllegalStateException("no helper here");
        });
    assertNull(weave(weaver));
    assertEquals(1, errors.size());
    assertEquals("no helper here", errors.get(0).getMessage());
  }

  @Test
  void everyRuleThatMatchesAppliesItsTransformers() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener)
        .type(named(TARGET)).transform(exclaim())
        .type(named(TARGET)).transform(exclaim());
    assertEquals("hello you!!", call(weave(weaver), "greet", "you"));
  }

  @Test
  void anAttachedAgentFindsTheLoadedClassesItsRulesWouldChange() {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, "java.")
        .type(named(TARGET)).transform(exclaim());
    assertEquals(List.of(Target.class),
        weaver.matchingLoaded(new Class<?>[] {String.class, Target.class, ExclaimAdvice.class, int[].class}));
  }
}
