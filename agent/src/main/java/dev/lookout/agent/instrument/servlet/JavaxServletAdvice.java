package dev.lookout.agent.instrument.servlet;

import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Servlet.service} and {@code Filter.doFilter} of javax.servlet containers: two
 * static calls into {@link JavaxServletHelper}, which the class loader of the advised class holds (see
 * {@link dev.lookout.agent.instrument.HelperInjector}). {@link JakartaServletAdvice} is the same for the
 * other servlet API: advice is compiled against one API, so it exists twice.
 */
public final class JavaxServletAdvice {

  private JavaxServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) ServletRequest request) {
    return JavaxServletHelper.enter(request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object handle, @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable thrown) {
    JavaxServletHelper.exit(handle, request, response, thrown);
  }
}
