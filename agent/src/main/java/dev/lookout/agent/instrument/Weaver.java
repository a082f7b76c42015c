package dev.lookout.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.inline.MethodNameTransformer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's class file transformer: behind a {@link ClassGate}, ByteBuddy's type pool describes the
 * class, the rules whose type (and class loader) matchers accept it contribute their transformers
 * (advice, helper injection), and ByteBuddy redefines the class with them, its format frozen (no
 * member added, nothing renamed), as {@code AgentBuilder.disableClassFormatChanges()} would.
 *
 * <p>This does what ByteBuddy's {@code AgentBuilder} would do with the same strategies, from the same
 * parts, without the {@code AgentBuilder} itself: on a JVM with modules, its transformer is a subclass
 * that ByteBuddy generates at start-up with its general type-creation machinery (and the reflective
 * proxies behind it). That one class cost ~0.16 s of the main thread at premain, and the JIT compiled
 * the JDK's bytecode writer for the proxies, ~0.3 s of start-up on one core in all.
 *
 * <p>Rules are added before {@link #install}; the transformer never throws into the class loading
 * that called it: a class it cannot weave is left as it was (and named with {@code lookout.debug}).
 */
public final class Weaver implements ClassFileTransformer {

  /**
   * Advice only ever goes into methods a type declares, so ByteBuddy need not compile the type's whole
   * method graph (by default it would, reading the class file of every super class and interface of
   * each advised type). Validation of generated code is for code ByteBuddy writes anew; advice woven
   * into existing methods gains nothing from it. No auxiliary classes: the class format stays frozen.
   */
  private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
      .with(TypeValidation.DISABLED)
      .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
      .with(Implementation.Context.Disabled.Factory.INSTANCE);

  private final ClassGate gate;
  private final String[] ignoredPrefixes;
  private final AgentBuilder.Listener listener;
  private final List<Rule> rules = new ArrayList<>();
  private final AgentBuilder.CircularityLock lock = new AgentBuilder.CircularityLock.Default();

  /**
   * @param gate what a class file must show to be described at all
   * @param listener told of each class transformed and each that could not be
   * @param ignoredPrefixes binary-name prefixes never woven (the agent's own packages, say)
   */
  public Weaver(ClassGate gate, AgentBuilder.Listener listener, String... ignoredPrefixes) {
    this.gate = gate;
    this.listener = listener;
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
    Rule rule = new Rule(type, loader);
    rules.add(rule);
    return rule;
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
          listener.onError(type.getName(), type.getClassLoader(), JavaModule.ofType(type), true, single);
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
    JavaModule javaModule = module == null ? null : JavaModule.of(module);
    try {
      return weave(name, classFile, loader, javaModule, redefined, domain);
    } catch (Throwable t) {
      listener.onError(name, loader, javaModule, redefined != null, t);
      return null;
    } finally {
      lock.release();
    }
  }

  private byte[] weave(String name, byte[] classFile, ClassLoader loader, JavaModule module, Class<?> redefined,
      ProtectionDomain domain) {
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
        AgentBuilder.LocationStrategy.ForClassLoader.STRONG.classFileLocator(loader, module));
    TypePool pool = AgentBuilder.PoolStrategy.Default.FAST.typePool(locator, loader, name);
    TypeDescription type = pool.describe(name).resolve();
    List<AgentBuilder.Transformer> transformers = new ArrayList<>();
    for (Rule rule : rules) {
      if (rule.loader.matches(loader) && rule.type.matches(type)) {
        transformers.addAll(rule.transformers);
      }
    }
    if (transformers.isEmpty()) {
      return null;
    }
    DynamicType.Builder<?> builder = AgentBuilder.TypeStrategy.Default.REDEFINE_FROZEN.builder(type, BYTE_BUDDY,
        locator, MethodNameTransformer.Suffixing.withRandomSuffix(), loader, module, domain);
    for (AgentBuilder.Transformer transformer : transformers) {
      builder = transformer.transform(builder, type, loader, module, domain);
    }
    DynamicType.Unloaded<?> woven = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool);
    listener.onTransformation(type, loader, module, redefined != null, woven);
    return woven.getBytes();
  }

  private boolean ignored(String internalName) {
    for (String prefix : ignoredPrefixes) {
      if (internalName.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** The transformers applied to the types one matcher accepts, in the order given. */
  public final class Rule {
    private final ElementMatcher<? super TypeDescription> type;
    private final ElementMatcher<? super ClassLoader> loader;
    private final List<AgentBuilder.Transformer> transformers = new ArrayList<>();

    private Rule(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> loader) {
      this.type = type;
      this.loader = loader;
    }

    /** Adds these transformers to the rule; returns the weaver, for its next rule. */
    public Weaver transform(AgentBuilder.Transformer... more) {
      transformers.addAll(Arrays.asList(more));
      return Weaver.this;
    }
  }
}
