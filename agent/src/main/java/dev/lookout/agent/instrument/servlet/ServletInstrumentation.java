package dev.lookout.agent.instrument.servlet;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.AdviceClasses;
import dev.lookout.agent.instrument.HelperInjector;
import dev.lookout.agent.instrument.SeesClass;
import dev.lookout.agent.instrument.Weaver;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Where request advice goes, for jakarta.servlet and javax.servlet alike: every concrete servlet's
 * {@code service}, filter's {@code doFilter}, request's {@code startAsync} and async context's
 * {@code complete}.
 */
public final class ServletInstrumentation {

  /**
   * What a class the advice applies to must declare (see {@link dev.lookout.agent.instrument.ClassGate}):
   * {@code service} and {@code doFilter} take (ServletRequest, ServletResponse, ...), which their
   * descriptors show; a request declares {@code startAsync}, an async context {@code complete}.
   */
  public static final java.util.List<String> MARKERS = java.util.List.of("/ServletRequest;L", "startAsync", "complete");

  private ServletInstrumentation() {}

  public static void apply(Weaver weaver, ClassLoader agentLoader) {
    apply(weaver, ClassFileLocator.ForClassLoader.of(agentLoader), "jakarta.servlet", JakartaServletAdvice.class.getName(),
        JakartaServletHelper.class.getName(), JakartaStartAsyncAdvice.class.getName(),
        JakartaAsyncCompleteAdvice.class.getName());
    apply(weaver, new JavaxCopies(agentLoader), "javax.servlet", "dev.lookout.agent.instrument.servlet.JavaxServletAdvice",
        "dev.lookout.agent.instrument.servlet.JavaxServletHelper", "dev.lookout.agent.instrument.servlet.JavaxStartAsyncAdvice",
        "dev.lookout.agent.instrument.servlet.JavaxAsyncCompleteAdvice");
  }

  private static void apply(Weaver weaver, ClassFileLocator classes, String ns, String advice,
      String helperName, String startAsyncAdvice, String asyncAdvice) {
    HelperInjector helper = new HelperInjector(helperName, classes);
    AdviceClasses adviceClasses = AdviceClasses.of(classes);
    SeesClass api = SeesClass.named(ns + ".Servlet");
    ElementMatcher.Junction<MethodDescription> service = named("service").and(not(isAbstract())).and(takesArguments(2))
        .and(takesArgument(0, named(ns + ".ServletRequest")))
        .and(takesArgument(1, named(ns + ".ServletResponse")));
    ElementMatcher.Junction<MethodDescription> doFilter = named("doFilter").and(not(isAbstract())).and(takesArguments(3))
        .and(takesArgument(0, named(ns + ".ServletRequest")))
        .and(takesArgument(1, named(ns + ".ServletResponse")));
    ElementMatcher.Junction<MethodDescription> startAsync = named("startAsync").and(not(isAbstract()));
    ElementMatcher.Junction<MethodDescription> complete = named("complete").and(not(isAbstract())).and(takesArguments(0));
    // Advice goes only into methods a type declares, so a type declaring none of them is passed over
    // on its own class file, before the super-type walk (which reads every super type's class file).
    weaver
        .type(declaresMethod(service).and(not(isInterface())).and(hasSuperType(named(ns + ".Servlet"))), api)
        .from(adviceClasses).helper(helper).advice(service, advice)
        .type(declaresMethod(doFilter).and(not(isInterface())).and(hasSuperType(named(ns + ".Filter"))), api)
        .from(adviceClasses).helper(helper).advice(doFilter, advice)
        .type(declaresMethod(startAsync).and(not(isInterface())).and(hasSuperType(named(ns + ".ServletRequest"))), api)
        .from(adviceClasses).advice(startAsync, startAsyncAdvice)
        .type(declaresMethod(complete).and(not(isInterface())).and(hasSuperType(named(ns + ".AsyncContext"))), api)
        .from(adviceClasses).advice(complete, asyncAdvice);
  }
}
