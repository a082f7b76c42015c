package dev.lookout.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median with its spread (min–max) over rounds. */
record Stats(double median, double min, double max, int n) {

  static Stats of(List<Double> values) {
    List<Double> v = new ArrayList<>();
    for (Double d : values) {
      if (d != null && !d.isNaN() && !d.isInfinite()) {
        v.add(d);
      }
    }
    if (v.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    Collections.sort(v);
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    return new Stats(median, v.get(0), v.get(n - 1), n);
  }

  String format(String pattern) {
    if (n == 0) {
      return "n/a";
    }
    if (n == 1) {
      return String.format(Locale.ROOT, pattern, median);
    }
    return String.format(Locale.ROOT, pattern + " (" + pattern + "–" + pattern + ")", median, min, max);
  }

  String json() {
    return String.format(Locale.ROOT, "{\"median\": %s, \"min\": %s, \"max\": %s, \"n\": %d}",
        num(median), num(min), num(max), n);
  }

  static String num(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? "null" : String.format(Locale.ROOT, "%.4f", d);
  }
}
