package dev.lookout.agent.instrument.servlet;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.SeesClass;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Where request advice goes, for jakarta.servlet and javax.servlet alike: every concrete servlet's
 * {@code service}, filter's {@code doFilter}, and async context's {@code complete}.
 */
public final class ServletInstrumentation {

  private ServletInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader) {
    builder = apply(builder, agentLoader, "jakarta.servlet", JakartaServletAdvice.class.getName(),
        JakartaAsyncCompleteAdvice.class.getName());
    return apply(builder, agentLoader, "javax.servlet", JavaxServletAdvice.class.getName(),
        JavaxAsyncCompleteAdvice.class.getName());
  }

  private static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader, String ns, String advice,
      String asyncAdvice) {
    SeesClass api = SeesClass.named(ns + ".Servlet");
    return builder
        .type(hasSuperType(named(ns + ".Servlet")).and(not(isInterface())), api)
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("service").and(not(isAbstract())).and(takesArguments(2))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse"))), advice))
        .type(hasSuperType(named(ns + ".Filter")).and(not(isInterface())), api)
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("doFilter").and(not(isAbstract())).and(takesArguments(3))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse"))), advice))
        .type(hasSuperType(named(ns + ".AsyncContext")).and(not(isInterface())), api)
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("complete").and(not(isAbstract())).and(takesArguments(0)), asyncAdvice));
  }
}
