package example.app;

import dev.lookout.agent.io.CallSitesProbe;

/** An application class, as the call sites see one: its lines are asserted by CallSitesTest. */
public final class SiteCaller {

  public static final int LINE_A = 12;
  public static final int LINE_B = 16;

  public static String a() {
    return CallSitesProbe.first();
  }

  public static String b() {
    return CallSitesProbe.first();
  }

  /** The same method name in another class: a site is its class's, not its name's. */
  public static final class Other {
    public static final int LINE = 24;

    public static String a() {
      return CallSitesProbe.first();
    }
  }

  /** Calls into a framework that goes {@code depth} frames deep before it asks. */
  public static String throughFramework(int depth) {
    return org.springframework.lookoutfixture.Nested.site(depth);
  }

  public static final int LINE_THROUGH = 30;
}
