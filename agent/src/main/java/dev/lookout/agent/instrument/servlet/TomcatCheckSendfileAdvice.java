package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.IoHooks;
import net.bytebuddy.asm.Advice;

/**
 * On Tomcat's {@code DefaultServlet.checkSendfile(request, response, resource, length, range)} (Tomcat 9
 * to 11): when it declines sendfile for a file at least {@code sendfileSize} long, the copy through the
 * heap that follows is the container's fallback, with the reason (the connector's {@code useSendfile=false}
 * or TLS, or a response it cannot sendfile), not the application's candidate.
 */
public final class TomcatCheckSendfileAdvice {

  private TomcatCheckSendfileAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return boolean sendfile, @Advice.Argument(0) Object request,
      @Advice.Argument(3) long length, @Advice.FieldValue("sendfileSize") int sendfileSize) {
    IoHooks.containerSendfileChecked(request, length, sendfileSize, sendfile);
  }
}
