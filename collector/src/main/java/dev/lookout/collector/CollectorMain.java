package dev.lookout.collector;

import dev.lookout.collector.startup.StartupException;
import picocli.CommandLine;

/** {@code java -jar lookout-collector.jar}: storage, OTLP ingest and the UI/API, started in that order. */
public final class CollectorMain {

  private CollectorMain() {}

  public static void main(String[] args) {
    try {
      CommandLine cli = CollectorOptions.parse(args);
      if (CommandLine.printHelpIfRequested(cli.getParseResult())) {
        return;
      }
      Collector collector = Collector.start(cli.getCommand());
      Runtime.getRuntime().addShutdownHook(new Thread(collector::close, "lookout-shutdown"));
    } catch (CommandLine.ParameterException e) {
      System.err.println("lookout-collector: " + e.getMessage());
      e.getCommandLine().usage(System.err);
      System.exit(2);
    } catch (StartupException e) {
      System.err.println("lookout-collector: " + e.getMessage());
      System.exit(1);
    }
  }
}
