package dev.lookout.agent;

import dev.lookout.agent.config.AgentConfig;
import dev.lookout.agent.config.Voice;
import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:lookout-agent.jar}. Nothing here may stop the application from
 * starting: any failure leaves the application running without the agent.
 */
public final class LookoutAgent {

  private LookoutAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    AgentConfig config = null;
    try {
      config = AgentConfig.load(args);
      Voice.quiet(config.quiet());
      if (!config.enabled()) {
        return;
      }
      // Each invalid value, once: its feature falls back to its default, the rest works.
      for (String problem : config.problems()) {
        Voice.say(problem);
      }
      // The bridge must be on the bootstrap path before any class refers to it.
      BootstrapInjector.inject(inst);
      AgentInstaller.install(config, inst, attached);
      Voice.say(config.startLine(version()));
    } catch (Throwable t) {
      if (config != null && config.debug()) {
        Voice.debug("agent disabled: " + t);
        t.printStackTrace();
      } else {
        Voice.say("agent disabled: " + t);
      }
    }
  }

  /** The agent jar's {@code Implementation-Version}, null outside the jar. */
  static String version() {
    Package p = LookoutAgent.class.getPackage();
    return p == null ? null : p.getImplementationVersion();
  }
}
