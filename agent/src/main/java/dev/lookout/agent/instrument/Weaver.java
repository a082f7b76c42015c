package dev.lookout.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.isVirtual;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.lookout.agent.bootstrap.IoHooks;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.AsmClassReader;
import net.bytebuddy.utility.AsmClassWriter;

/**
 * The agent's class file transformer: behind a {@link ClassGate}, ByteBuddy's type pool describes the
 * class, the rules whose type (and class loader) matchers accept it contribute their advice (and the
 * helpers it calls), and the class file is rewritten in one pass of ASM with ByteBuddy's {@link Advice}
 * inlined into the matched methods. Nothing is added, renamed or removed: the class format stays as it
 * was, so a class loaded already can be retransformed.
 *
 * <p>This is what ByteBuddy's {@code AgentBuilder} does with advice, from the same parts, without the
 * {@code AgentBuilder} and without a {@code DynamicType} builder:
 * <ul>
 *   <li>on a JVM with modules, the {@code AgentBuilder}'s transformer is a class ByteBuddy generates at
 *       start-up with its general type-creation machinery (~0.16 s of the main thread at premain, and the
 *       reflective proxies behind it made the JIT compile the JDK's bytecode writer);
 *   <li>a redefining builder checks, for every method of the class, that the types of its parameters and
 *       its return type are visible to it; on a type pool that means parsing the class file of every type
 *       any method of the woven class names, each time a class is woven. For the 11 classes the bench
 *       application has woven, that was ~6,000 methods parsed, and made the JIT compile ASM's reader.
 * </ul>
 * Advice only ever goes into methods the class declares, and it is resolved once per advice class and
 * class loader ({@link AdviceClasses}), not once per woven class.
 *
 * <p>Rules are added before {@link #install}; the transformer never throws into the class loading
 * that called it: a class it cannot weave is left as it was (and named with {@code lookout.debug}).
 */
public final class Weaver implements ClassFileTransformer {

  /**
   * The methods advice may go into, as ByteBuddy's decoration offers them: every method the class
   * declares, except the synthetic virtual ones (bridges), where advice would run twice.
   */
  private static final ElementMatcher<MethodDescription> ADVISABLE = not(isVirtual()).or(not(isSynthetic()));

  /** Told of each class woven and each that could not be. */
  public interface Listener {
    void woven(String className);

    /** A class woven as an earlier start wove it, taken from the {@link WeaveCache}. */
    default void cached(String className) {
      woven(className);
    }

    void failed(String className, Throwable error);
  }

  private final ClassGate gate;
  private final String[] ignoredPrefixes;
  private final Listener listener;
  private final AdviceClasses adviceClasses;
  private final List<Rule> rules = new ArrayList<>();
  private final AgentBuilder.CircularityLock lock = new AgentBuilder.CircularityLock.Default();
  private WeaveCache.Space space;
  private SuperTypeNames superTypes;

  /**
   * @param gate what a class file must show to be described at all
   * @param listener told of each class transformed and each that could not be
   * @param adviceClasses where the rules' advice classes are read from, unless a rule names another
   * @param ignoredPrefixes binary-name prefixes never woven (the agent's own packages, say)
   */
  public Weaver(ClassGate gate, Listener listener, AdviceClasses adviceClasses, String... ignoredPrefixes) {
    this.gate = gate;
    this.listener = listener;
    this.adviceClasses = adviceClasses;
    this.ignoredPrefixes = new String[ignoredPrefixes.length];
    for (int i = 0; i < ignoredPrefixes.length; i++) {
      this.ignoredPrefixes[i] = ignoredPrefixes[i].replace('.', '/');
    }
  }

  /** A rule for the types {@code type} matches, in any class loader. */
  public Rule type(ElementMatcher<? super TypeDescription> type) {
    return type(type, ElementMatchers.any());
  }

  /** A rule for the types {@code type} matches in the class loaders {@code loader} matches. */
  public Rule type(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader) {
    Rule rule = new Rule(type, loader, adviceClasses);
    rules.add(rule);
    return rule;
  }

  /**
   * Keeps what this weaver decides in {@code cache} and takes what an earlier start decided from it;
   * after the last rule, before {@link #install}. A null cache: none. (A rule is one bit of a long in an
   * entry: a weaver of more than 64 rules keeps nothing.)
   */
  public Weaver cache(WeaveCache cache) {
    if (cache != null && rules.size() <= Long.SIZE) {
      space = cache.space(rules());
      superTypes = space == null ? null : new SuperTypeNames();
    }
    return this;
  }

  /**
   * The rules as text, for the {@link WeaveCache}: what each matches (types, class loaders and methods),
   * the advice it weaves and the helpers it defines. Configuration that changes the rules changes it.
   */
  String rules() {
    StringBuilder text = new StringBuilder();
    for (Rule rule : rules) {
      rule.describe(text);
    }
    return text.toString();
  }

  /**
   * Registers this transformer for every class loaded from now on and, when {@code retransform} is
   * given, retransforms those of its classes that are loaded already (the JDK's, at premain).
   */
  public void install(Instrumentation inst, Collection<Class<?>> retransform) {
    boolean retransforming = retransform != null;
    inst.addTransformer(this, retransforming);
    if (!retransforming || retransform.isEmpty()) {
      return;
    }
    List<Class<?>> modifiable = new ArrayList<>();
    for (Class<?> type : retransform) {
      if (inst.isModifiableClass(type)) {
        modifiable.add(type);
      }
    }
    try {
      inst.retransformClasses(modifiable.toArray(new Class<?>[0]));
    } catch (Throwable batch) {
      // one class the JVM refuses must not keep the others as they are
      for (Class<?> type : modifiable) {
        try {
          inst.retransformClasses(type);
        } catch (Throwable single) {
          listener.failed(type.getName(), single);
        }
      }
    }
  }

  /**
   * The loaded classes (of {@code candidates}) that the rules would change: for an agent attached to
   * a running JVM, whose application classes are loaded already.
   */
  public List<Class<?>> matchingLoaded(Class<?>[] candidates) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> type : candidates) {
      String name = type.getName();
      if (type.isArray() || type.isPrimitive() || ignored(name.replace('.', '/'))) {
        continue;
      }
      try {
        TypeDescription description = TypeDescription.ForLoadedType.of(type);
        for (Rule rule : rules) {
          if (rule.loader.matches(type.getClassLoader()) && rule.type.matches(description)) {
            found.add(type);
            break;
          }
        }
      } catch (Throwable notDescribable) {
        // a class whose signature refers to a class that cannot be loaded: left alone
      }
    }
    return found;
  }

  /** Finds, among the loaded classes, those with these binary names: a name lookup, no description. */
  public static List<Class<?>> loaded(Instrumentation inst, Collection<String> classNames) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> type : inst.getAllLoadedClasses()) {
      if (classNames.contains(type.getName())) {
        found.add(type);
      }
    }
    return found;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] classFile) {
    if (internalName == null || ignored(internalName) || !gate.admits(loader, internalName, classFile)) {
      return null;
    }
    if (!lock.acquire()) {
      return null; // a class loaded while this thread weaves another: never advised, never blocked
    }
    String name = internalName.replace('/', '.');
    // the cache's files and the class files read here are the agent's I/O, not the application's
    IoHooks.Counters agentWork = IoHooks.agentWork();
    try {
      long loaders = 0; // the rules whose class-loader matcher accepts this loader
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).loader.matches(loader)) {
          loaders |= 1L << i;
        }
      }
      if (loaders == 0) {
        return null; // no rule is for classes of this loader
      }
      String context = null;
      byte[] key = null;
      if (space != null) {
        String supers = superTypes.of(loader, classFile);
        if (supers != null) {
          context = Long.toHexString(loaders) + "|" + supers;
          key = redefined == null ? classFile : new ClassFileView(classFile).withMethodsSorted();
          WeaveCache.Entry earlier = space.find(internalName, context, key);
          if (earlier != null) {
            return fromCache(name, earlier, loader);
          }
        }
      }
      WeaveCache.Entry decided = weave(name, classFile, loader, loaders);
      if (context != null) {
        space.put(internalName, context, key, decided.rules, decided.woven);
      }
      return decided.woven;
    } catch (Throwable t) {
      listener.failed(name, t);
      return null;
    } finally {
      IoHooks.agentWorkDone(agentWork);
      lock.release();
    }
  }

  /** What an earlier start decided: the matched rules' helpers are defined in the loader, as weaving does. */
  private byte[] fromCache(String name, WeaveCache.Entry earlier, ClassLoader loader) {
    for (int i = 0; i < rules.size(); i++) {
      if ((earlier.rules & 1L << i) != 0) {
        rules.get(i).injectHelpers(loader);
      }
    }
    if (earlier.woven != null) {
      listener.cached(name);
    }
    return earlier.woven;
  }

  /**
   * Decides with ByteBuddy: the rules ({@code loaders} names those for this class loader) that match
   * the class, and its class file with their advice, or null when it is left as it is.
   */
  private WeaveCache.Entry weave(String name, byte[] classFile, ClassLoader loader, long loaders) {
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
        ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader, name);
    TypeDescription type = pool.describe(name).resolve();
    AsmVisitorWrapper.ForDeclaredMethods none = null;
    AsmVisitorWrapper.ForDeclaredMethods advice = null;
    MethodList<?> methods = null;
    long matched = 0;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if ((loaders & 1L << i) != 0 && rule.type.matches(type)) {
        matched |= 1L << i;
        if (methods == null) {
          methods = type.getDeclaredMethods().filter(ADVISABLE);
          none = new AsmVisitorWrapper.ForDeclaredMethods();
          advice = none;
        }
        advice = rule.apply(advice, methods, loader);
      }
    }
    if (advice == none) {
      return new WeaveCache.Entry(matched, null); // no rule matched, or no method takes their advice: left as it is
    }
    int writerFlags = advice.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
    int readerFlags = advice.mergeReader(AsmVisitorWrapper.NO_FLAGS);
    AsmClassReader reader = AsmClassReader.Factory.Default.IMPLICIT.make(classFile);
    AsmClassWriter writer = AsmClassWriter.Factory.Default.IMPLICIT.make(writerFlags, reader, pool);
    ClassFileVersion version = ClassFileVersion.ofMinorMajor(u2(classFile, 6) | u2(classFile, 4) << 16);
    Implementation.Context context = new WeavingContext(type, version, frameGeneration(version, writerFlags, readerFlags));
    reader.accept(advice.wrap(type, writer.getVisitor(), context, pool, type.getDeclaredFields(), methods,
        writerFlags, readerFlags), readerFlags);
    byte[] woven = writer.getBinaryRepresentation();
    listener.woven(name);
    return new WeaveCache.Entry(matched, woven);
  }

  /** How frames are written for code the advice adds, as ByteBuddy's type writer decides it. */
  private static Implementation.Context.FrameGeneration frameGeneration(ClassFileVersion version, int writerFlags,
      int readerFlags) {
    if ((writerFlags & ClassWriter.COMPUTE_FRAMES) != 0 || !version.isAtLeast(ClassFileVersion.JAVA_V6)) {
      return Implementation.Context.FrameGeneration.DISABLED;
    }
    return (readerFlags & ClassReader.EXPAND_FRAMES) != 0
        ? Implementation.Context.FrameGeneration.EXPAND
        : Implementation.Context.FrameGeneration.GENERATE;
  }

  private static int u2(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  private boolean ignored(String internalName) {
    for (String prefix : ignoredPrefixes) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The implementation context of a class that is only woven: no member may be added to it. */
  private static final class WeavingContext extends Implementation.Context.Disabled {
    WeavingContext(TypeDescription type, ClassFileVersion version, FrameGeneration frameGeneration) {
      super(type, version, frameGeneration);
    }
  }

  /**
   * What is woven into the types one matcher accepts: advice on the methods each method matcher
   * accepts, and the helpers that advice calls, defined in the class's loader first.
   */
  public final class Rule {
    private final ElementMatcher<? super TypeDescription> type;
    private final ElementMatcher<? super ClassLoader> loader;
    private final List<HelperInjector> helpers = new ArrayList<>();
    private final List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<>();
    private final List<String> adviceNames = new ArrayList<>();
    private final List<AdviceClasses> sources = new ArrayList<>();
    private AdviceClasses source;

    private Rule(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader,
        AdviceClasses source) {
      this.type = type;
      this.loader = loader;
      this.source = source;
    }

    /** The advice classes this rule names from now on are read from {@code source}. */
    public Rule from(AdviceClasses source) {
      this.source = source;
      return this;
    }

    /** Weaves the advice class {@code adviceClass} into the declared methods {@code methods} matches. */
    public Rule advice(ElementMatcher<? super MethodDescription> methods, String adviceClass) {
      this.methods.add(methods);
      this.adviceNames.add(adviceClass);
      this.sources.add(source);
      return this;
    }

    /** Defines {@code helper} in the loader of each class this rule weaves, before weaving it. */
    public Rule helper(HelperInjector helper) {
      helpers.add(helper);
      return this;
    }

    /** Starts the weaver's next rule. */
    public Rule type(ElementMatcher<? super TypeDescription> type) {
      return Weaver.this.type(type);
    }

    /** Starts the weaver's next rule, for the class loaders {@code loader} matches. */
    public Rule type(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader) {
      return Weaver.this.type(type, loader);
    }

    /** Defines this rule's helpers in {@code classLoader} (not in the bootstrap loader); throws if one cannot be. */
    private void injectHelpers(ClassLoader classLoader) {
      if (classLoader != null) {
        for (HelperInjector helper : helpers) {
          helper.inject(classLoader);
        }
      }
    }

    private void describe(StringBuilder text) {
      text.append("type ").append(type).append(" loader ").append(loader).append('\n');
      for (HelperInjector helper : helpers) {
        text.append(" helper ").append(helper).append('\n');
      }
      for (int i = 0; i < methods.size(); i++) {
        text.append(" advice ").append(adviceNames.get(i)).append(" on ").append(methods.get(i)).append('\n');
      }
    }

    /** Adds this rule's advice for the methods it matches; an advice class no method takes is not resolved. */
    private AsmVisitorWrapper.ForDeclaredMethods apply(AsmVisitorWrapper.ForDeclaredMethods wrapper,
        MethodList<?> declared, ClassLoader classLoader) {
      injectHelpers(classLoader);
      for (int i = 0; i < methods.size(); i++) {
        if (!declared.filter(methods.get(i)).isEmpty()) {
          wrapper = wrapper.invokable(methods.get(i), sources.get(i).advice(adviceNames.get(i), classLoader));
        }
      }
      return wrapper;
    }
  }
}
