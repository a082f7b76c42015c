package dev.lookout.collector;

import dev.lookout.collector.startup.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: the command line's options, one {@code key=value} a line ({@code port=7070},
 * {@code no-auth=true}), blank lines and {@code #} comment lines ignored. Each line is checked on
 * its own, so a bad one is a one-line error naming the file and line.
 */
final class ConfigFile {

  private ConfigFile() {}

  /** The file as command-line arguments, to be placed before the real ones (which then win). */
  static List<String> arguments(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new StartupException("cannot read the config file " + file + ": " + e, e);
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        args.addAll(argumentsOf(line));
      } catch (IllegalArgumentException e) {
        throw new StartupException(file + " line " + (i + 1) + ": " + e.getMessage(), null);
      }
    }
    return args;
  }

  private static List<String> argumentsOf(String line) {
    int eq = line.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("expected key=value (e.g. port=7070), found '" + line + "'");
    }
    String key = line.substring(0, eq).strip().replaceFirst("^--", "");
    String value = line.substring(eq + 1).strip();
    OptionSpec option = new CommandLine(new CollectorOptions()).getCommandSpec().findOption("--" + key);
    if (option == null || option.usageHelp() || option.versionHelp()) {
      throw new IllegalArgumentException("unknown option '" + key + "'");
    }
    if (key.equals("config")) {
      throw new IllegalArgumentException("a config file cannot name another one");
    }
    if (option.type() == boolean.class) {
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(key + " takes true or false, found '" + value + "'");
      }
      return value.equals("true") ? List.of("--" + key) : List.of();
    }
    String arg = "--" + key + "=" + value; // attached, so a value may start with a dash
    try {
      new CommandLine(new CollectorOptions()).parseArgs(arg);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return List.of(arg);
  }
}
