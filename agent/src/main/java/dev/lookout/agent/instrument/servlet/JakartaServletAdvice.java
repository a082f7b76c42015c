package dev.lookout.agent.instrument.servlet;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code Servlet.service} and {@code Filter.doFilter} of jakarta.servlet containers: two
 * static calls into {@link JakartaServletHelper}, which the class loader of the advised class holds (see
 * {@link dev.lookout.agent.instrument.HelperInjector}). For javax.servlet, {@link JavaxCopies} makes a
 * copy of it and of the helper with the javax names: the two APIs differ only in their package.
 */
public final class JakartaServletAdvice {

  private JakartaServletAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Object enter(@Advice.Argument(0) ServletRequest request) {
    return JakartaServletHelper.enter(request);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Object handle, @Advice.Argument(0) ServletRequest request,
      @Advice.Argument(1) ServletResponse response, @Advice.Thrown Throwable thrown) {
    JakartaServletHelper.exit(handle, request, response, thrown);
  }
}
