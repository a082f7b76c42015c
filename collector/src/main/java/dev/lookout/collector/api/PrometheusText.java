package dev.lookout.collector.api;

/** Writing Prometheus's text exposition format: a family's HELP and TYPE lines, and its samples. */
final class PrometheusText {

  private PrometheusText() {}

  static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A family of one unlabelled sample. */
  static void metric(StringBuilder out, String name, String type, String help, double value) {
    header(out, name, type, help);
    out.append(name).append(' ').append(number(value)).append('\n');
  }

  /** Whole numbers without a fraction, others as Java writes doubles. */
  static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
