package dev.lookout.agent.instrument.servlet;

import dev.lookout.agent.bootstrap.ServletHooks;
import jakarta.servlet.ServletRequest;
import net.bytebuddy.asm.Advice;

/**
 * On {@code ServletRequest.startAsync}: the request recorded on this thread is marked on the request
 * itself, before any other thread can hold its {@code AsyncContext}, so that its async dispatches and
 * its {@code complete()} find it wherever they run. Only requests that go async carry the attribute.
 */
public final class JakartaStartAsyncAdvice {

  private JakartaStartAsyncAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This ServletRequest request) {
    Object handle = ServletHooks.currentRequest();
    if (handle != null && request.getAttribute(ServletHooks.REQUEST_ATTRIBUTE) == null) {
      request.setAttribute(ServletHooks.REQUEST_ATTRIBUTE, handle);
    }
  }
}
