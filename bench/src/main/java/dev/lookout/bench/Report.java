package dev.lookout.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Paired ratios to "no agent" (same round), medians over rounds with min–max, against the targets. */
final class Report {

  static final Map<String, Double> THROUGHPUT_TARGET = Map.of("plain", 0.90, "log", 0.90, "json", 0.97, "file", 0.97);
  static final double RSS_TARGET_MIB = 40;
  static final double JAR_TARGET_MIB = 6;

  final List<OverheadBench.Run> runs;
  final List<String> configs;
  final List<String> endpoints;
  final Map<String, String> settings;
  final Map<String, Long> jars;

  Report(List<OverheadBench.Run> runs, List<String> configs, List<String> endpoints, Map<String, String> settings,
      Map<String, Long> jars) {
    this.runs = runs;
    this.configs = configs;
    this.endpoints = endpoints;
    this.settings = settings;
    this.jars = jars;
  }

  List<String> agents() {
    List<String> a = new ArrayList<>(configs);
    a.remove("none");
    return a;
  }

  static String label(String config) {
    switch (config) {
      case "none": return "no agent";
      case "lookout": return "Lookout";
      case "otel": return "OpenTelemetry";
      default: return config;
    }
  }

  private OverheadBench.Run find(int round, String config) {
    for (OverheadBench.Run r : runs) {
      if (r.round() == round && r.config().equals(config)) {
        return r;
      }
    }
    return null;
  }

  private List<Integer> rounds() {
    List<Integer> out = new ArrayList<>();
    for (OverheadBench.Run r : runs) {
      if (!out.contains(r.round())) {
        out.add(r.round());
      }
    }
    return out;
  }

  /** Absolute value of a config, over rounds. */
  Stats absolute(String config, ToDoubleFunction<OverheadBench.Run> f) {
    List<Double> v = new ArrayList<>();
    for (int round : rounds()) {
      OverheadBench.Run r = find(round, config);
      if (r != null) {
        v.add(f.applyAsDouble(r));
      }
    }
    return Stats.of(v);
  }

  /** config / none of the same round, over rounds. */
  Stats ratio(String config, ToDoubleFunction<OverheadBench.Run> f) {
    return paired(config, f, true);
  }

  /** config − none of the same round, over rounds. */
  Stats added(String config, ToDoubleFunction<OverheadBench.Run> f) {
    return paired(config, f, false);
  }

  private Stats paired(String config, ToDoubleFunction<OverheadBench.Run> f, boolean ratio) {
    List<Double> v = new ArrayList<>();
    for (int round : rounds()) {
      OverheadBench.Run base = find(round, "none");
      OverheadBench.Run r = find(round, config);
      if (base != null && r != null) {
        double b = f.applyAsDouble(base);
        double x = f.applyAsDouble(r);
        v.add(ratio ? x / b : x - b);
      }
    }
    return Stats.of(v);
  }

  static ToDoubleFunction<OverheadBench.Run> rps(String endpoint) {
    return r -> r.endpoints().containsKey(endpoint) ? r.endpoints().get(endpoint).wrk().requestsPerSecond() : Double.NaN;
  }

  static ToDoubleFunction<OverheadBench.Run> p50(String endpoint) {
    return r -> r.endpoints().containsKey(endpoint) ? r.endpoints().get(endpoint).wrk().p50Micros() : Double.NaN;
  }

  static ToDoubleFunction<OverheadBench.Run> p99(String endpoint) {
    return r -> r.endpoints().containsKey(endpoint) ? r.endpoints().get(endpoint).wrk().p99Micros() : Double.NaN;
  }

  static ToDoubleFunction<OverheadBench.Run> cpu(String endpoint) {
    return r -> r.endpoints().containsKey(endpoint) ? r.endpoints().get(endpoint).cpuMicrosPerRequest() : Double.NaN;
  }

  static final ToDoubleFunction<OverheadBench.Run> STARTUP = r -> r.startupMillis();
  static final ToDoubleFunction<OverheadBench.Run> RSS_MIB = r -> r.rssKb() / 1024.0;
  static final ToDoubleFunction<OverheadBench.Run> STORED = r -> r.spansStored() < 0 ? Double.NaN
      : (double) r.spansStored() / r.requestsServed();

  private static String mark(boolean met) {
    return met ? "met" : "**missed**";
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(settings.get("nproc")).append(" cores, ").append(settings.get("cpu"))
        .append(", kernel ").append(settings.get("kernel")).append("; app JDK: ").append(settings.get("appJdk"))
        .append(" (").append(settings.get("appJvmOpts")).append(")\n");
    sb.append("Run: ").append(settings.get("date")).append(", commit ").append(settings.get("gitCommit"))
        .append(" (plus uncommitted work), ").append(settings.get("rounds")).append(" rounds alternated, wrk ")
        .append(settings.get("wrk")).append("; pinning: ").append(settings.get("pinning")).append("; ")
        .append(settings.get("collector")).append("; OpenTelemetry Java agent ")
        .append(settings.get("otelAgentVersion")).append("; took ").append(settings.get("minutes")).append(" min\n\n");
    sb.append("Ratios are to \"no agent\" in the same round; median over rounds, (min–max) in brackets.\n\n");

    sb.append("| endpoint | no agent req/s |");
    for (String a : agents()) {
      sb.append(' ').append(label(a)).append(" throughput |");
    }
    sb.append(" target (Lookout) |\n|---|---|");
    for (String a : agents()) {
      sb.append("---|");
    }
    sb.append("---|\n");
    for (String e : endpoints) {
      sb.append("| ").append(e).append(" | ").append(absolute("none", rps(e)).format("%.0f")).append(" |");
      for (String a : agents()) {
        sb.append(' ').append(ratio(a, rps(e)).format("%.2f×")).append(" |");
      }
      sb.append(' ').append(throughputVerdict(e)).append(" |\n");
    }

    sb.append("\n| endpoint | no agent p50 / p99 |");
    for (String a : agents()) {
      sb.append(' ').append(label(a)).append(" p50 × | ").append(label(a)).append(" p99 × |");
    }
    sb.append("\n|---|---|");
    for (String a : agents()) {
      sb.append("---|---|");
    }
    sb.append('\n');
    for (String e : endpoints) {
      sb.append("| ").append(e).append(" | ").append(absolute("none", p50(e)).format("%.0f")).append(" µs / ")
          .append(absolute("none", p99(e)).format("%.0f")).append(" µs |");
      for (String a : agents()) {
        sb.append(' ').append(ratio(a, p50(e)).format("%.2f×")).append(" | ")
            .append(ratio(a, p99(e)).format("%.2f×")).append(" |");
      }
      sb.append('\n');
    }

    sb.append("\n| endpoint | no agent app CPU per request |");
    for (String a : agents()) {
      sb.append(' ').append(label(a)).append(" CPU/request × |");
    }
    sb.append("\n|---|---|");
    for (String a : agents()) {
      sb.append("---|");
    }
    sb.append('\n');
    for (String e : endpoints) {
      sb.append("| ").append(e).append(" | ").append(absolute("none", cpu(e)).format("%.1f")).append(" µs |");
      for (String a : agents()) {
        sb.append(' ').append(ratio(a, cpu(e)).format("%.2f×")).append(" |");
      }
      sb.append('\n');
    }

    sb.append("\n| | no agent |");
    for (String a : agents()) {
      sb.append(' ').append(label(a)).append(" |");
    }
    sb.append(" target (Lookout) |\n|---|---|");
    for (String a : agents()) {
      sb.append("---|");
    }
    sb.append("---|\n");
    sb.append("| startup to first 200 | ").append(absolute("none", STARTUP).format("%.0f ms")).append(" |");
    for (String a : agents()) {
      sb.append(' ').append(absolute(a, STARTUP).format("%.0f ms")).append(", added ")
          .append(added(a, STARTUP).format("%+.0f ms")).append(" |");
    }
    sb.append(' ').append(startupVerdict()).append(" |\n");
    sb.append("| resident memory (VmRSS at the end) | ").append(absolute("none", RSS_MIB).format("%.0f MiB")).append(" |");
    for (String a : agents()) {
      sb.append(' ').append(absolute(a, RSS_MIB).format("%.0f MiB")).append(", added ")
          .append(added(a, RSS_MIB).format("%+.0f MiB")).append(" |");
    }
    Stats rssAdded = added("lookout", RSS_MIB);
    sb.append(" ≤ +40 MiB: ").append(rssAdded.n() == 0 ? "n/a" : mark(rssAdded.median() <= RSS_TARGET_MIB)
        + String.format(Locale.ROOT, " (%+.0f MiB)", rssAdded.median())).append(" |\n");
    sb.append("| agent jar | — |");
    for (String a : agents()) {
      Long size = jars.get(a);
      sb.append(size == null ? " — |" : String.format(Locale.ROOT, " %.1f MiB |", size / 1048576.0));
    }
    Long lj = jars.get("lookout");
    sb.append(" ≤ 6 MiB: ").append(lj == null ? "n/a" : mark(lj / 1048576.0 <= JAR_TARGET_MIB)).append(" |\n");
    sb.append("| spans stored by the collector / requests served | — |");
    for (String a : agents()) {
      sb.append(' ').append(absolute(a, STORED).format("%.2f")).append(" |");
    }
    sb.append(" — |\n");
    sb.append("\nExporters: ");
    for (OverheadBench.Run r : runs) {
      if (!r.config().equals("none") && r.round() == 1) {
        sb.append(label(r.config())).append(": ").append(r.exporters()).append("; ");
      }
    }
    sb.append('\n');
    return sb.toString();
  }

  private String throughputVerdict(String endpoint) {
    if (!agents().contains("lookout")) {
      return "—";
    }
    Stats l = ratio("lookout", rps(endpoint));
    List<String> parts = new ArrayList<>();
    Double t = THROUGHPUT_TARGET.get(endpoint);
    if (t != null && l.n() > 0) {
      parts.add(String.format(Locale.ROOT, "≥ %.2f×: %s (%+.2f)", t, mark(l.median() >= t), l.median() - t));
    }
    if (agents().contains("otel") && l.n() > 0) {
      Stats o = ratio("otel", rps(endpoint));
      parts.add("> OTel: " + mark(l.median() > o.median()));
    }
    return parts.isEmpty() ? "—" : String.join("; ", parts);
  }

  private String startupVerdict() {
    if (!agents().contains("lookout") || !agents().contains("otel")) {
      return "—";
    }
    Stats l = added("lookout", STARTUP);
    Stats o = added("otel", STARTUP);
    if (l.n() == 0 || o.n() == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "≤ 1/10 of OTel's added (%.0f ms): %s", o.median() / 10,
        mark(l.median() <= o.median() / 10));
  }

  String json() {
    StringBuilder sb = new StringBuilder("{\n  \"settings\": {");
    String sep = "";
    for (Map.Entry<String, String> e : settings.entrySet()) {
      sb.append(sep).append("\n    ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
      sep = ",";
    }
    sb.append("\n  },\n  \"jarBytes\": {");
    sep = "";
    for (Map.Entry<String, Long> e : jars.entrySet()) {
      sb.append(sep).append(q(e.getKey())).append(": ").append(e.getValue());
      sep = ", ";
    }
    sb.append("},\n  \"summary\": {");
    sep = "";
    for (String a : agents()) {
      sb.append(sep).append("\n    ").append(q(a)).append(": {");
      Map<String, Stats> global = new LinkedHashMap<>();
      global.put("startupMs", absolute(a, STARTUP));
      global.put("startupAddedMs", added(a, STARTUP));
      global.put("rssMiB", absolute(a, RSS_MIB));
      global.put("rssAddedMiB", added(a, RSS_MIB));
      global.put("spansStoredPerRequest", absolute(a, STORED));
      String s2 = "";
      for (Map.Entry<String, Stats> e : global.entrySet()) {
        sb.append(s2).append("\n      ").append(q(e.getKey())).append(": ").append(e.getValue().json());
        s2 = ",";
      }
      for (String e : endpoints) {
        sb.append(",\n      ").append(q(e)).append(": {\"throughputRatio\": ").append(ratio(a, rps(e)).json())
            .append(", \"p50Ratio\": ").append(ratio(a, p50(e)).json())
            .append(", \"p99Ratio\": ").append(ratio(a, p99(e)).json())
            .append(", \"cpuPerRequestRatio\": ").append(ratio(a, cpu(e)).json()).append('}');
      }
      sb.append("\n    }");
      sep = ",";
    }
    sb.append("\n  },\n  \"runs\": [");
    sep = "";
    for (OverheadBench.Run r : runs) {
      sb.append(sep).append(String.format(Locale.ROOT,
          "\n    {\"round\": %d, \"config\": %s, \"startupMs\": %.1f, \"rssKb\": %d, \"hwmKb\": %d,"
              + " \"requestsServed\": %d, \"spansStored\": %d, \"exporters\": %s, \"endpoints\": {",
          r.round(), q(r.config()), r.startupMillis(), r.rssKb(), r.hwmKb(), r.requestsServed(), r.spansStored(),
          q(r.exporters())));
      String s3 = "";
      for (Map.Entry<String, OverheadBench.EndpointResult> e : r.endpoints().entrySet()) {
        Wrk.Result w = e.getValue().wrk();
        sb.append(s3).append(String.format(Locale.ROOT,
            "%s: {\"rps\": %.1f, \"p50us\": %.1f, \"p99us\": %.1f, \"requests\": %d, \"non2xx\": %d,"
                + " \"socketErrors\": %d, \"cpuUsPerRequest\": %s}",
            q(e.getKey()), w.requestsPerSecond(), w.p50Micros(), w.p99Micros(), w.requests(), w.non2xx(),
            w.socketErrors(), Stats.num(e.getValue().cpuMicrosPerRequest())));
        s3 = ", ";
      }
      sb.append("}}");
      sep = ",";
    }
    sb.append("\n  ]\n}\n");
    return sb.toString();
  }

  static String q(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : (s == null ? "" : s).toCharArray()) {
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
