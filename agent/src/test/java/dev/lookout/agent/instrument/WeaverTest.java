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
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
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

  /** A class with a bridge: {@code get()Object}, synthetic, calls {@code get()String}. */
  public static class Bridging implements java.util.function.Supplier<String> {
    @Override
    public String get() {
      return "got";
    }
  }

  /** Counts the calls of the methods it is woven into. */
  public static class CountAdvice {
    public static int calls;

    @Advice.OnMethodEnter
    static void enter() {
      calls++;
    }
  }

  private static final String TARGET = Target.class.getName();
  private static final String BRIDGING = Bridging.class.getName();
  private static final String INTERNAL = TARGET.replace('.', '/');

  private final List<String> transformed = new ArrayList<>();
  private final List<Throwable> errors = new ArrayList<>();
  private final Weaver.Listener listener = new Weaver.Listener() {
    @Override
    public void woven(String className) {
      transformed.add(className);
    }

    @Override
    public void failed(String className, Throwable error) {
      errors.add(error);
    }
  };
  private final AdviceClasses adviceClasses = AdviceClasses.of(WeaverTest.class.getClassLoader());

  private static byte[] classFile(Class<?> type) throws IOException {
    try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private byte[] weave(Weaver weaver) throws IOException {
    return weaver.transform(getClass().getModule(), getClass().getClassLoader(), INTERNAL, null,
        (ProtectionDomain) null, classFile(Target.class));
  }

  /** Defines the woven class in a loader of its own. */
  private static Class<?> define(String className, byte[] classFile) throws ClassNotFoundException {
    ClassLoader own = new ClassLoader(WeaverTest.class.getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.equals(className)) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> done = findLoadedClass(name);
            return done != null ? done : defineClass(name, classFile, 0, classFile.length);
          }
        }
        return super.loadClass(name, resolve);
      }
    };
    return own.loadClass(className);
  }

  /** Defines the woven class in a loader of its own and calls {@code method} on a new instance. */
  private static Object call(byte[] classFile, String method, Object... args) throws Exception {
    Class<?> type = define(TARGET, classFile);
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
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    byte[] woven = weave(weaver);
    assertNotNull(woven);
    assertEquals("hello you!", call(woven, "greet", "you"));
    assertEquals("other", call(woven, "other"), "only the matched method is advised");
    assertEquals(List.of(TARGET), transformed);
    assertTrue(errors.isEmpty(), errors::toString);
  }

  @Test
  void aClassTheGateRefusesIsNeitherDescribedNorChanged() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of("some.OtherClass"), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    assertNull(weave(weaver));
    assertTrue(transformed.isEmpty());
  }

  @Test
  void anIgnoredPackageIsNeverWovenEvenWhenTheGateAdmitsIt() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses, "dev.lookout.agent.");
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    assertNull(weave(weaver));
  }

  @Test
  void aClassNoRuleMatchesIsLeftAsItIs() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET), none()).advice(named("greet"), ExclaimAdvice.class.getName())
        .type(named("some.OtherClass")).advice(named("greet"), ExclaimAdvice.class.getName());
    assertNull(weave(weaver));
    assertTrue(transformed.isEmpty());
  }

  @Test
  void aClassWhoseHelperCannotBeDefinedIsLeftAsItIsAndReportedNotThrown() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET))
        .helper(new HelperInjector("some.MissingHelper", ClassFileLocator.NoOp.INSTANCE))
        .advice(named("greet"), ExclaimAdvice.class.getName());
    assertNull(weave(weaver));
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).getMessage().startsWith("cannot define some.MissingHelper"), errors::toString);
    assertTrue(transformed.isEmpty());
  }

  @Test
  void anAdviceClassThatCannotBeFoundLeavesTheClassAsItIsAndIsReportedNotThrown() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("greet"), "some.MissingAdvice");
    assertNull(weave(weaver));
    assertEquals(1, errors.size(), errors::toString);
    assertTrue(transformed.isEmpty());
  }

  @Test
  void adviceIsResolvedOncePerClassLoaderAndWovenAgainFromThere() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    assertEquals("hello you!", call(weave(weaver), "greet", "you"));
    assertEquals("hello me!", call(weave(weaver), "greet", "me"));
    assertTrue(adviceClasses.advice(ExclaimAdvice.class.getName(), getClass().getClassLoader())
        == adviceClasses.advice(ExclaimAdvice.class.getName(), getClass().getClassLoader()));
    assertEquals(List.of(TARGET, TARGET), transformed);
  }

  @Test
  void aSyntheticBridgeIsNotAdvisedOnlyTheMethodItCalls() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(BRIDGING), List.of()), listener, adviceClasses);
    weaver.type(named(BRIDGING)).advice(named("get"), CountAdvice.class.getName());
    byte[] woven = weaver.transform(getClass().getModule(), getClass().getClassLoader(),
        BRIDGING.replace('.', '/'), null, (ProtectionDomain) null, classFile(Bridging.class));
    CountAdvice.calls = 0;
    // called through the interface, the call goes through the bridge get()Object to get()String
    assertEquals("got", ((java.util.function.Supplier<?>) define(BRIDGING, woven).getConstructor().newInstance()).get());
    assertEquals(1, CountAdvice.calls, "advice runs once, in get()String, not again in its bridge");
  }

  @Test
  void aClassNoMethodOfWhichTakesTheAdviceIsLeftAsItIsAndItsAdviceNeverResolved() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("farewell"), "some.MissingAdvice");
    assertNull(weave(weaver));
    assertTrue(errors.isEmpty(), errors::toString);
    assertTrue(transformed.isEmpty());
  }

  @Test
  void everyRuleThatMatchesAppliesItsTransformers() throws Exception {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses);
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName())
        .type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    assertEquals("hello you!!", call(weave(weaver), "greet", "you"));
  }

  @Test
  void anAttachedAgentFindsTheLoadedClassesItsRulesWouldChange() {
    Weaver weaver = new Weaver(ClassGate.of(List.of(TARGET), List.of()), listener, adviceClasses, "java.");
    weaver.type(named(TARGET)).advice(named("greet"), ExclaimAdvice.class.getName());
    assertEquals(List.of(Target.class),
        weaver.matchingLoaded(new Class<?>[] {String.class, Target.class, ExclaimAdvice.class, int[].class}));
  }
}
