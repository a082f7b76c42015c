package dev.lookout.agent.io;

import java.lang.ref.WeakReference;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The first application frame of the current stack, as {@code class.method:line}: the first frame
 * outside the JDK and the agent that is not in a well-known server framework either, looked for up
 * to {@value #ABOVE_FRAMEWORK} frames above the first framework frame; failing that, that framework
 * frame (such as Netty's {@code DefaultFileRegion.transferTo} when it resumes a transfer from its event
 * loop, or Jetty's resource service sending a static file); failing that, {@code "-"}. Walked on each
 * file transfer whose call the agent did not weave (a framework's, the JDK's, a class in a named
 * module) and on the first file read of a unit: for a server that sends a file per request, once per
 * request.
 *
 * <p>What a walk costs is mostly the frames the JVM hands over and the line number of the one
 * picked (in a {@code /file} profile on Jetty 12: 12.6 us a request, of which 3.9 resolving frames
 * and 2.8 making the text). So the walker asks for the smallest first batch (the site is a few
 * frames above the agent's), and the text of a frame is kept by class, method and bytecode index:
 * the same call site again takes it without a line-number lookup or a new string.
 */
public final class CallSites {

  /**
   * Frames the JVM resolves in the first batch (8 is the JDK's least): the agent's three, the JDK
   * channel's, then usually the site itself. Each costs ~0.5 us on a compiled server stack.
   */
  private static final int FIRST_BATCH = 8;
  private static final StackWalker WALKER = walker();
  /** Whether {@link #WALKER} hands out the frames' classes (refused only under a security manager). */
  private static final boolean CLASSES = WALKER != null;
  private static final StackWalker PLAIN =
      StackWalker.getInstance(EnumSet.of(StackWalker.Option.SHOW_REFLECT_FRAMES), FIRST_BATCH);
  private static final int MAX_FRAMES = 128;
  /**
   * Frames looked at above the first framework frame for an application frame that called it: enough
   * for a utility the application calls (Spring's {@code StreamUtils.copy}, Jetty's {@code IO.copy},
   * commons-io's {@code IOUtils.copy}, 1-4 frames). Past them, the framework is doing its own work: a
   * container's default servlet sending a file 8-11 frames below the servlet's {@code service} (and
   * any filter of the application above it, which did not read the file). Each frame costs ~1 us in a
   * server (the JVM resolves its method through cold metadata): walked to the top of a Jetty thread,
   * a {@code ResourceServlet} request paid 23 us; capped here, 13.5 us.
   */
  private static final int ABOVE_FRAMEWORK = 8;

  /** A frame's text, by its class (weakly: the cache keeps no class loader alive), method and index. */
  private static final class Site {
    final WeakReference<Class<?>> type;
    final String method;
    final int bci;
    final String text;

    Site(Class<?> type, String method, int bci, String text) {
      this.type = new WeakReference<>(type);
      this.method = method;
      this.bci = bci;
      this.text = text;
    }
  }

  /** Direct-mapped: a slot holds the last site that hashed to it (entries are immutable, races harmless). */
  private static final Site[] SITES = new Site[512];

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
    return (CLASSES ? WALKER : PLAIN).walk(CallSites::pick);
  }

  private static StackWalker walker() {
    try {
      // reflection frames shown: they are the JDK's, skipped by name here, and filtering them out cost
      // the walker a class test per frame (13% of a walk in a Jetty profile)
      return StackWalker.getInstance(
          EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES), FIRST_BATCH);
    } catch (SecurityException refused) {
      return null;
    }
  }

  /**
   * Whether a frame of the class with this binary name is a call site as soon as it is met: neither the
   * JDK's, the agent's nor a well-known framework's. Where such a class calls a file transfer itself,
   * its call is the site, and {@link dev.lookout.agent.instrument.io.IoCallWeaver} weaves it in.
   */
  public static boolean isApplication(String className) {
    return !startsWithAny(className, JDK_OR_AGENT) && !startsWithAny(className, FRAMEWORKS);
  }

  /** A site's text: {@code class.method:line}, without the line where the class file has none. */
  public static String text(String className, String method, int line) {
    return className + "." + method + (line > 0 ? ":" + line : "");
  }

  private static String pick(Stream<StackWalker.StackFrame> frames) {
    String fallback = null;
    int seen = 0;
    int limit = MAX_FRAMES;
    for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext() && seen < limit; seen++) {
      StackWalker.StackFrame f = it.next();
      String cls = f.getClassName();
      if (startsWithAny(cls, JDK_OR_AGENT)) {
        continue;
      }
      if (!startsWithAny(cls, FRAMEWORKS)) {
        return format(f);
      }
      if (fallback == null) {
        fallback = format(f);
        limit = Math.min(MAX_FRAMES, seen + 1 + ABOVE_FRAMEWORK);
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
    if (!CLASSES) {
      return text(f);
    }
    Class<?> type = f.getDeclaringClass();
    String method = f.getMethodName();
    int bci = f.getByteCodeIndex();
    int slot = ((System.identityHashCode(type) * 31 + method.hashCode()) * 31 + bci) & (SITES.length - 1);
    Site s = SITES[slot];
    if (s != null && s.bci == bci && s.type.get() == type && s.method.equals(method)) {
      return s.text;
    }
    String text = text(f);
    SITES[slot] = new Site(type, method, bci, text);
    return text;
  }

  private static String text(StackWalker.StackFrame f) {
    return text(f.getClassName(), f.getMethodName(), f.getLineNumber());
  }
}
