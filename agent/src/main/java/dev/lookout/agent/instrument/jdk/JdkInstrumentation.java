package dev.lookout.agent.instrument.jdk;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.logging.JulAdvice;
import dev.lookout.agent.instrument.AdviceClasses;
import dev.lookout.agent.instrument.ClassGate;
import dev.lookout.agent.instrument.WeaveCache;
import dev.lookout.agent.instrument.Weaver;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Advice on JDK classes, loaded before the agent starts and so retransformed. Their advice may only
 * reach the bootstrap bridge classes.
 */
public final class JdkInstrumentation {

  private JdkInstrumentation() {}

  public static void install(Instrumentation inst, ClassLoader agentLoader, Weaver.Listener listener, WeaveCache cache,
      boolean logs) {
    List<String> classes = List.of("java.lang.Thread", "java.util.logging.Logger");
    // By name only: the transformer stays registered for every class loaded later.
    Weaver weaver = new Weaver(ClassGate.of(classes, List.of()), listener, AdviceClasses.of(agentLoader));
    weaver.type(named("java.lang.Thread"))
        .advice(named("dispatchUncaughtException").and(takesArguments(1)), UncaughtExceptionAdvice.class.getName());
    if (logs) {
      weaver.type(named("java.util.logging.Logger"))
          .advice(named("log").and(takesArguments(1)).and(takesArgument(0, named("java.util.logging.LogRecord"))),
              JulAdvice.class.getName());
    }
    weaver.cache(cache).install(inst, Weaver.loaded(inst, classes));
  }
}
