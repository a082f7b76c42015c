package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ServletHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * On Tomcat's {@code NioEndpoint$Poller.processSendfile(SelectionKey, NioSocketWrapper, boolean
 * calledByProcessor)}: one attempt at sending a static file with sendfile, first on the request's thread
 * (inside {@code Http11Processor.service}), then on the poller thread whenever the socket takes more. The
 * socket wrapper is the key that finds the request on the poller; a {@code PENDING} result means more
 * attempts follow.
 */
public final class TomcatSendfileAdvice {

  private TomcatSendfileAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(1) Object connection, @Advice.Argument(2) boolean byProcessor) {
    return ServletHooks.sendfileEnter(connection, byProcessor);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object token,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object state, @Advice.Thrown Throwable thrown) {
    if (token != null) {
      ServletHooks.sendfileExit(token, thrown != null || state == null || !"PENDING".equals(state.toString()));
    }
  }
}
