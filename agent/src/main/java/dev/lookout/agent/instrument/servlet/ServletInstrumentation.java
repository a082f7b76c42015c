package dev.lookout.agent.instrument.servlet;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.agent.builder.AgentBuilder;

/** Where request advice goes: every concrete servlet's {@code service} and filter's {@code doFilter}. */
public final class ServletInstrumentation {

  private ServletInstrumentation() {}

  public static AgentBuilder apply(AgentBuilder builder, ClassLoader agentLoader) {
    String ns = "jakarta.servlet";
    String advice = JakartaServletAdvice.class.getName();
    return builder
        .type(hasSuperType(named(ns + ".Servlet")).and(not(isInterface())))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("service").and(not(isAbstract())).and(takesArguments(2))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse"))), advice))
        .type(hasSuperType(named(ns + ".Filter")).and(not(isInterface())))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("doFilter").and(not(isAbstract())).and(takesArguments(3))
                .and(takesArgument(0, named(ns + ".ServletRequest")))
                .and(takesArgument(1, named(ns + ".ServletResponse"))), advice));
  }
}
