package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.BodyHooks;
import dev.lookout.agent.bootstrap.ServletHooks;
import javax.servlet.AsyncContext;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/** On {@code AsyncContext.complete()}: an async request ends here, on whichever thread calls it. */
public final class JavaxAsyncCompleteAdvice {

  private JavaxAsyncCompleteAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This AsyncContext context) {
    Object handle = context.getRequest().getAttribute(ServletHooks.REQUEST_ATTRIBUTE);
    if (handle != null) {
      ServletResponse response = context.getResponse();
      if (BodyHooks.capture) {
        BodyHooks.contentTypes(handle, context.getRequest().getContentType(), response.getContentType());
      }
      ServletHooks.asyncComplete(handle,
          response instanceof HttpServletResponse ? ((HttpServletResponse) response).getStatus() : 200);
    }
  }
}
