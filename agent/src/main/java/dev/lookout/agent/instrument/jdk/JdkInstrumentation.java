package dev.lookout.agent.instrument.jdk;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.logging.JulAdvice;
import dev.lookout.agent.instrument.ClassGate;
import dev.lookout.agent.instrument.Weaving;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Advice on JDK classes, loaded before the agent starts and so retransformed. Their advice may only
 * reach the bootstrap bridge classes.
 */
public final class JdkInstrumentation {

  private JdkInstrumentation() {}

  public static void install(Instrumentation inst, ClassLoader agentLoader, AgentBuilder.Listener listener,
      boolean logs) {
    AgentBuilder builder = Weaving.agentBuilder()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(Weaving.loaded(inst, List.of("java.lang.Thread", "java.util.logging.Logger")))
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(listener)
        .with(ClassGate.of(List.of("java.lang.Thread", "java.util.logging.Logger"), List.of()))
        // By name only: the transformer stays registered for every class loaded later, and a matcher
        // that reads modifiers (isSynthetic) would parse each of those class files.
        .ignore(not(namedOneOf("java.lang.Thread", "java.util.logging.Logger")))
        .type(named("java.lang.Thread"))
        .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
            .advice(named("dispatchUncaughtException").and(takesArguments(1)),
                UncaughtExceptionAdvice.class.getName()));
    if (logs) {
      builder = builder
          .type(named("java.util.logging.Logger"))
          .transform(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)
              .advice(named("log").and(takesArguments(1))
                  .and(takesArgument(0, named("java.util.logging.LogRecord"))), JulAdvice.class.getName()));
    }
    builder.installOn(inst);
  }
}
