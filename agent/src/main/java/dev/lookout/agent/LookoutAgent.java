package dev.lookout.agent;

import dev.lookout.agent.config.AgentConfig;
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
      if (!config.enabled()) {
        return;
      }
      // The bridge must be on the bootstrap path before any class refers to it.
      BootstrapInjector.inject(inst);
      AgentInstaller.install(config, inst, attached);
    } catch (Throwable t) {
      if (config != null && config.debug()) {
        System.err.println("[lookout] agent disabled: " + t);
        t.printStackTrace();
      }
    }
  }
}
