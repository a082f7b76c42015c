package dev.lookout.agent.instrument.logging;

import static dev.lookout.agent.instrument.Signatures.takesAt;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.instrument.SeesClass;
import dev.lookout.agent.instrument.Weaver;

/** Logback and Log4j2 (records, and trace ids into their MDC / context data), in the application's class loaders (JUL is a JDK class: see JdkInstrumentation). */
public final class LoggingInstrumentation {

  private static final String LOGBACK_LOGGER = "ch.qos.logback.classic.Logger";
  private static final String LOGBACK_EVENT = "ch.qos.logback.classic.spi.LoggingEvent";
  private static final String LOG4J_LOGGER = "org.apache.logging.log4j.core.Logger";

  /** The classes advised by name ({@link dev.lookout.agent.instrument.ClassGate}). */
  public static final java.util.List<String> CLASSES = java.util.List.of(LOGBACK_LOGGER, LOGBACK_EVENT, LOG4J_LOGGER);

  /** A context data injector is advised where it declares {@code injectContextData}. */
  public static final java.util.List<String> MARKERS = java.util.List.of("injectContextData");

  private LoggingInstrumentation() {}

  public static void apply(Weaver weaver) {
    weaver
        .type(named(LOGBACK_LOGGER))
        .advice(named("callAppenders").and(takesArguments(1)), LogbackAdvice.class.getName())
        .type(named(LOGBACK_EVENT))
        .advice(named("getMDCPropertyMap").and(takesArguments(0)), LogbackMdcAdvice.class.getName())
        .type(named(LOG4J_LOGGER))
        .advice(named("logMessage").and(takesArguments(5))
            .and(takesArgument(3, named("org.apache.logging.log4j.message.Message"))),
            Log4jAdvice.LogMessage.class.getName())
        .advice(named("log").and(takesArguments(6))
            .and(takesAt(3, StackTraceElement.class))
            .and(takesArgument(4, named("org.apache.logging.log4j.message.Message"))),
            Log4jAdvice.LogWithLocation.class.getName())
        .type(hasSuperType(named("org.apache.logging.log4j.core.ContextDataInjector")).and(not(isInterface())),
            SeesClass.named("org.apache.logging.log4j.core.ContextDataInjector"))
        .advice(named("injectContextData").and(takesArguments(2)).and(not(isAbstract())),
            Log4jContextAdvice.class.getName());
  }
}
