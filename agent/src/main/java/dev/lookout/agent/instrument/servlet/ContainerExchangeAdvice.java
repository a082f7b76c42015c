package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ServletHooks;
import net.bytebuddy.asm.Advice;

/**
 * Around a container's handling of one exchange (Jetty 12's {@code ServletChannel.handle()}, Tomcat's
 * {@code Http11Processor.service(SocketWrapperBase)}): what the container writes after the servlet
 * returned (the response flush, Tomcat's first sendfile attempt) is still the request's.
 */
public final class ContainerExchangeAdvice {

  private ContainerExchangeAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter() {
    return ServletHooks.exchangeEnter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object exchange) {
    ServletHooks.exchangeExit(exchange);
  }
}
