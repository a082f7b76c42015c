package dev.lookout.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Top frames of a JFR recording's execution samples (jdk.ExecutionSample): by top frame, and by
 * the innermost frame matching a prefix (default: the agent's packages, shaded OpenTelemetry
 * included). Usage: {@code java -cp lookout-bench.jar dev.lookout.bench.JfrTop rec.jfr [prefix…]}.
 */
public final class JfrTop {

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    List<String> prefixes = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("dev.lookout.");
    Map<String, Integer> top = new HashMap<>();
    Map<String, Integer> agentInnermost = new HashMap<>();
    Map<String, Integer> agentOutermost = new HashMap<>();
    Map<String, Integer> entryCallee = new HashMap<>();
    int total = 0;
    int withAgent = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
        continue;
      }
      total++;
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      if (!frames.isEmpty()) {
        top.merge(name(frames.get(0)), 1, Integer::sum);
      }
      String inner = null;
      String outer = null;
      int outerIndex = -1;
      for (RecordedFrame f : frames) {
        String n = name(f);
        for (String p : prefixes) {
          if (n.startsWith(p)) {
            if (inner == null) {
              inner = n;
            }
            outer = n;
            outerIndex = frames.indexOf(f);
          }
        }
      }
      if (inner != null) {
        withAgent++;
        agentInnermost.merge(inner, 1, Integer::sum);
        agentOutermost.merge(outer, 1, Integer::sum);
        String callee = outerIndex > 0 ? name(frames.get(outerIndex - 1)) : "(self)";
        String callee2 = outerIndex > 1 ? " > " + name(frames.get(outerIndex - 2)) : "";
        entryCallee.merge(outer + " > " + callee + callee2, 1, Integer::sum);
      }
    }
    System.out.printf("%d execution samples, %d (%.1f%%) with a frame under %s%n", total, withAgent,
        100.0 * withAgent / Math.max(1, total), prefixes);
    print("top frames (all samples)", top, total, 15);
    print("innermost agent frame", agentInnermost, total, 20);
    print("outermost agent frame (entry point)", agentOutermost, total, 12);
    print("entry point > the two frames it called", entryCallee, total, 25);
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int n) {
    System.out.println("\n" + title + ":");
    counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n).forEach(e ->
        System.out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()));
  }
}
