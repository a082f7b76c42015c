package dev.lookout.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/** The overhead chart, drawn with java.awt (headless) and written as PNG. */
final class Chart {

  private static final Color[] COLORS = {new Color(0x2b6cb0), new Color(0xdd6b20), new Color(0x38a169)};
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  private Chart() {}

  record Series(String name, List<Stats> values) {}

  static void overhead(Report report, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> agents = report.agents();
    List<String> endpoints = report.endpoints;
    List<Series> tput = new ArrayList<>();
    List<Series> p99 = new ArrayList<>();
    List<Series> startup = new ArrayList<>();
    List<Series> rss = new ArrayList<>();
    for (String a : agents) {
      List<Stats> t = new ArrayList<>();
      List<Stats> l = new ArrayList<>();
      for (String e : endpoints) {
        t.add(report.ratio(a, Report.rps(e)));
        l.add(report.ratio(a, Report.p99(e)));
      }
      tput.add(new Series(Report.label(a), t));
      p99.add(new Series(Report.label(a), l));
      Stats s = report.added(a, Report.STARTUP);
      startup.add(new Series(Report.label(a), List.of(new Stats(s.median() / 1000, s.min() / 1000, s.max() / 1000, s.n()))));
      rss.add(new Series(Report.label(a), List.of(report.added(a, Report.RSS_MIB))));
    }
    int w = 1400;
    int h = 500;
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString("Agent overhead vs no agent — Jetty 12 bench app, wrk " + report.settings.get("wrk") + ", "
        + report.settings.get("rounds") + " rounds (median, whiskers min–max)", 20, 24);
    g.setFont(SMALL);
    g.drawString(report.settings.get("nproc") + " cores " + report.settings.get("cpu") + ", " + report.settings.get("appJdk")
        + ", " + report.settings.get("date"), 20, 42);
    // legend
    int lx = w - 320;
    for (int i = 0; i < agents.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(lx + i * 150, 32, 14, 14);
      g.setColor(Color.BLACK);
      g.drawString(Report.label(agents.get(i)), lx + i * 150 + 20, 44);
    }
    panel(g, 20, 60, 520, 420, "Throughput (× no agent, higher is better)", endpoints, tput, 1.2,
        List.of(1.0), report.agents().contains("lookout") ? Report.THROUGHPUT_TARGET : Map.of(), "%.2f");
    double maxP99 = 2;
    for (Series s : p99) {
      for (Stats st : s.values()) {
        if (!Double.isNaN(st.max())) {
          maxP99 = Math.max(maxP99, st.max() * 1.1);
        }
      }
    }
    panel(g, 560, 60, 420, 420, "p99 latency (× no agent, lower is better)", endpoints, p99, maxP99, List.of(1.0),
        Map.of(), "%.1f");
    double maxStartup = 1;
    for (Series s : startup) {
      maxStartup = Math.max(maxStartup, s.values().get(0).max() * 1.15);
    }
    panel(g, 1000, 60, 190, 420, "Startup added (s)", List.of("to first 200"), startup, maxStartup, List.of(), Map.of(),
        "%.2f");
    double maxRss = 50;
    for (Series s : rss) {
      maxRss = Math.max(maxRss, s.values().get(0).max() * 1.15);
    }
    panel(g, 1200, 60, 190, 420, "RSS added (MiB)", List.of("VmRSS"), rss, maxRss, List.of(40.0), Map.of(), "%.0f");
    g.dispose();
    ImageIO.write(img, "png", png.toFile());
  }

  private static void panel(Graphics2D g, int x, int y, int w, int h, String title, List<String> categories,
      List<Series> series, double yMax, List<Double> lines, Map<String, Double> targets, String fmt) {
    int left = x + 45;
    int top = y + 30;
    int bottom = y + h - 30;
    int right = x + w - 5;
    g.setColor(Color.BLACK);
    g.setFont(TITLE);
    g.drawString(title, x + 5, y + 15);
    g.setFont(SMALL);
    // axis and grid
    int ticks = 6;
    for (int i = 0; i <= ticks; i++) {
      double v = yMax * i / ticks;
      int py = yOf(v, yMax, top, bottom);
      g.setColor(new Color(0xe2e8f0));
      g.drawLine(left, py, right, py);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, yMax >= 20 ? "%.0f" : "%.1f", v), x + 5, py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, right, bottom);
    int groups = categories.size();
    double groupWidth = (double) (right - left) / groups;
    int n = Math.max(1, series.size());
    double barWidth = groupWidth * 0.7 / n;
    for (int c = 0; c < groups; c++) {
      double gx = left + c * groupWidth + groupWidth * 0.15;
      for (int s = 0; s < series.size(); s++) {
        Stats st = series.get(s).values().get(c);
        if (st.n() == 0) {
          continue;
        }
        int bx = (int) (gx + s * barWidth);
        int bw = (int) Math.max(2, barWidth - 4);
        int py = yOf(Math.max(0, st.median()), yMax, top, bottom);
        g.setColor(COLORS[s % COLORS.length]);
        g.fillRect(bx, py, bw, bottom - py);
        g.setColor(Color.BLACK);
        int cx = bx + bw / 2;
        int pmin = yOf(st.min(), yMax, top, bottom);
        int pmax = yOf(st.max(), yMax, top, bottom);
        g.drawLine(cx, pmin, cx, pmax);
        g.drawLine(cx - 4, pmin, cx + 4, pmin);
        g.drawLine(cx - 4, pmax, cx + 4, pmax);
        g.drawString(String.format(Locale.ROOT, fmt, st.median()), bx, Math.min(pmax, py) - 4);
      }
      Double target = targets.get(categories.get(c));
      if (target != null) {
        int py = yOf(target, yMax, top, bottom);
        g.setColor(new Color(0xc53030));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f));
        g.drawLine((int) (left + c * groupWidth + 2), py, (int) (left + (c + 1) * groupWidth - 2), py);
        g.setStroke(new BasicStroke(1f));
      }
      g.setColor(Color.BLACK);
      String label = categories.get(c);
      int lw = g.getFontMetrics().stringWidth(label);
      g.drawString(label, (int) (left + c * groupWidth + groupWidth / 2 - lw / 2.0), bottom + 15);
    }
    for (double line : lines) {
      int py = yOf(line, yMax, top, bottom);
      g.setColor(new Color(0x4a5568));
      g.setStroke(new BasicStroke(1.5f));
      g.drawLine(left, py, right, py);
      g.setStroke(new BasicStroke(1f));
    }
    if (!targets.isEmpty()) {
      g.setColor(new Color(0xc53030));
      g.drawString("- - Lookout target", right - 110, bottom + 27);
    }
  }

  private static int yOf(double v, double yMax, int top, int bottom) {
    double clamped = Math.max(0, Math.min(v, yMax));
    return (int) Math.round(bottom - (bottom - top) * clamped / yMax);
  }
}
