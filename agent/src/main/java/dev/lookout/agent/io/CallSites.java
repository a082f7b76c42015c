package dev.lookout.agent.io;

import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The first application frame of the current stack, as {@code class.method:line}: the first frame
 * outside the JDK and the agent that is not in a well-known server framework either; failing that,
 * the first frame outside the JDK and the agent (a framework frame, such as Netty's
 * {@code DefaultFileRegion.transferTo} when it resumes a transfer from its event loop); failing
 * that, {@code "-"}. Walked only on rare events (a file transfer, the first file read of a unit).
 */
final class CallSites {

  private static final StackWalker WALKER = StackWalker.getInstance();
  private static final int MAX_FRAMES = 128;

  private static final String[] JDK_OR_AGENT = {
      "java.", "javax.", "jdk.", "sun.", "com.sun.", "dev.lookout.agent.", "dev.lookout.shaded.",
  };
  private static final String[] FRAMEWORKS = {
      "io.netty.", "org.eclipse.jetty.", "org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.",
      "io.undertow.", "org.xnio.", "reactor.netty.", "reactor.core.", "org.springframework.", "jakarta.servlet.",
      "org.glassfish.", "io.vertx.core.", "io.javalin.", "com.google.common.", "org.apache.commons.io.",
      "kotlin.", "scala.",
  };

  private CallSites() {}

  static String first() {
    return WALKER.walk(CallSites::pick);
  }

  private static String pick(Stream<StackWalker.StackFrame> frames) {
    String fallback = null;
    int seen = 0;
    for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext() && seen < MAX_FRAMES; seen++) {
      StackWalker.StackFrame f = it.next();
      String cls = f.getClassName();
      if (startsWithAny(cls, JDK_OR_AGENT)) {
        continue;
      }
      boolean framework = startsWithAny(cls, FRAMEWORKS);
      if (!framework) {
        return format(f);
      }
      if (fallback == null) {
        fallback = format(f);
      }
    }
    return fallback != null ? fallback : "-";
  }

  static boolean startsWithAny(String name, String[] prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static String format(StackWalker.StackFrame f) {
    int line = f.getLineNumber();
    return f.getClassName() + "." + f.getMethodName() + (line > 0 ? ":" + line : "");
  }
}
