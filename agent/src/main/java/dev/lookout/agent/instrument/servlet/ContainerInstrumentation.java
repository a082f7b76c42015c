package dev.lookout.agent.instrument.servlet;

import static dev.lookout.agent.instrument.Signatures.returnsType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.lookout.agent.bootstrap.ContainerHeaders;
import dev.lookout.agent.instrument.HelperInjector;
import dev.lookout.agent.instrument.Weaver;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Container-level advice, so that what a container does for a request after the servlet returned counts
 * for that request (SPEC §2): the exchange of Jetty 12 (ee10) and of Tomcat 9/10/11's HTTP/1.1
 * processor, Tomcat NIO's sendfile, and the reason Tomcat's DefaultServlet copies a file instead. A container none of this matches ends requests as the servlet
 * returns, as before.
 */
public final class ContainerInstrumentation {

  static final String JETTY_EE10_CHANNEL = "org.eclipse.jetty.ee10.servlet.ServletChannel";
  static final String TOMCAT_HTTP11 = "org.apache.coyote.http11.Http11Processor";
  static final String TOMCAT_NIO_POLLER = "org.apache.tomcat.util.net.NioEndpoint$Poller";
  static final String TOMCAT_DEFAULT_SERVLET = "org.apache.catalina.servlets.DefaultServlet";
  /** By name: the agent's loader must not link them (they are compiled against their container). */
  static final String JETTY_HEADERS = "dev.lookout.agent.instrument.servlet.JettyHeaders";
  static final String TOMCAT_HEADERS = "dev.lookout.agent.instrument.servlet.TomcatHeaders";

  /** The classes advised, by name. */
  public static final java.util.List<String> CLASSES =
      java.util.List.of(JETTY_EE10_CHANNEL, TOMCAT_HTTP11, TOMCAT_NIO_POLLER, TOMCAT_DEFAULT_SERVLET);

  private ContainerInstrumentation() {}

  public static void apply(Weaver weaver, ClassLoader agentLoader) {
    // A container's own header reader goes into the loader of its classes with the exchange's advice.
    ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(agentLoader);
    ContainerHeaders.register(JettyHeaders.REQUEST, JETTY_HEADERS);
    ContainerHeaders.register(JettyHeaders.RESPONSE, JETTY_HEADERS);
    ContainerHeaders.register(TomcatHeaders.REQUEST, TOMCAT_HEADERS);
    ContainerHeaders.register(TomcatHeaders.RESPONSE, TOMCAT_HEADERS);
    weaver
        .type(named(JETTY_EE10_CHANNEL))
        .helper(new HelperInjector(JETTY_HEADERS, agent))
        .advice(named("handle").and(takesArguments(0)), ContainerExchangeAdvice.class.getName())
        .type(named(TOMCAT_HTTP11))
        .helper(new HelperInjector(TOMCAT_HEADERS, agent))
        .advice(named("service").and(takesArguments(1)), ContainerExchangeAdvice.class.getName())
        .type(named(TOMCAT_NIO_POLLER))
        .advice(named("processSendfile").and(takesArguments(3)), TomcatSendfileAdvice.class.getName())
        .type(named(TOMCAT_DEFAULT_SERVLET))
        .advice(named("checkSendfile").and(takesArguments(5)).and(returnsType(boolean.class)),
            TomcatCheckSendfileAdvice.class.getName());
  }
}
