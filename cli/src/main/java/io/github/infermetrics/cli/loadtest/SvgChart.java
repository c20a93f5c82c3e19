package io.github.infermetrics.cli.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart drawn as inline SVG, for the self-contained report page: series of points (lines, markers or
 * both), shaded bands (the steps on a time axis), dashed rules (an objective, the goodput target), linear or
 * logarithmic x, ticks at round numbers or at given values, a legend. Points carry a {@code <title>}, which a
 * browser shows on hover without any script. Each chart says how many series and points it drew in
 * {@code data-series} and {@code data-points}, so a test can see that it has data.
 */
final class SvgChart {
  /** Okabe and Ito's palette: told apart with every common colour-vision deficiency. */
  private static final String[] COLORS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
      "#000000", "#F0E442"};
  private static final int WIDTH = 560;
  private static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 40;
  private static final int BOTTOM = 44;

  private final String id;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private final List<Band> bands = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private boolean logX;
  private double[] xTicksAt;
  private String empty = "no data";

  /** One series. */
  private record Series(String name, double[] x, double[] y, boolean line, boolean markers, String unit) {}

  /** A shaded range of x. */
  private record Band(double from, double to, String label) {}

  /** A horizontal dashed line. */
  private record Rule(double y, String label) {}

  /**
   * A chart.
   *
   * @param id its {@code data-chart} name
   * @param xLabel the x axis' title, with its unit
   * @param yLabel the y axis' title, with its unit
   */
  SvgChart(String id, String xLabel, String yLabel) {
    this.id = id;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Lines between points, with a marker on each. */
  SvgChart line(String name, double[] x, double[] y, String unit) {
    series.add(new Series(name, x, y, true, true, unit));
    return this;
  }

  /** Lines without markers (distributions, dense time series). */
  SvgChart curve(String name, double[] x, double[] y, String unit) {
    series.add(new Series(name, x, y, true, false, unit));
    return this;
  }

  SvgChart band(double from, double to, String label) {
    bands.add(new Band(from, to, label));
    return this;
  }

  SvgChart rule(double y, String label) {
    if (!Double.isNaN(y)) {
      rules.add(new Rule(y, label));
    }
    return this;
  }

  /** A logarithmic x axis (loads that double, distributions with a long tail). */
  SvgChart logX(boolean on) {
    this.logX = on;
    return this;
  }

  /** Ticks at these x values (the loads of the steps) instead of round numbers. */
  SvgChart xTicks(double[] at) {
    this.xTicksAt = at.clone();
    return this;
  }

  /** What an empty chart says. */
  SvgChart whenEmpty(String why) {
    this.empty = why;
    return this;
  }

  /** The number of finite points over all series. */
  int points() {
    int n = 0;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (finite(s, i)) {
          n++;
        }
      }
    }
    return n;
  }

  private boolean finite(Series s, int i) {
    return Double.isFinite(s.x[i]) && Double.isFinite(s.y[i]) && (!logX || s.x[i] > 0);
  }

  /** The SVG element. */
  String svg() {
    int points = points();
    StringBuilder sb = new StringBuilder();
    if (points == 0) {
      sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart empty\" data-chart=\"").append(esc(id))
          .append("\" data-series=\"0\" data-points=\"0\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(120)
          .append("\" role=\"img\"><text x=\"").append(WIDTH / 2).append("\" y=\"60\" text-anchor=\"middle\""
              + " class=\"empty\">").append(esc(empty)).append("</text></svg>");
      return sb.toString();
    }
    double[] xr = range(true);
    double[] yr = range(false);
    int drawn = 0;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (finite(s, i)) {
          drawn++;
          break;
        }
      }
    }
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"").append(esc(id))
        .append("\" data-series=\"").append(drawn).append("\" data-points=\"").append(points)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" role=\"img\">");
    int x0 = LEFT;
    int x1 = WIDTH - RIGHT;
    int y0 = HEIGHT - BOTTOM;
    int y1 = TOP;
    // bands under everything
    for (Band b : bands) {
      double a = Math.max(xr[0], b.from);
      double z = Math.min(xr[1], b.to);
      if (z <= a) {
        continue;
      }
      double px = px(a, xr, x0, x1);
      double pw = px(z, xr, x0, x1) - px;
      sb.append("<rect class=\"band\" x=\"").append(f(px)).append("\" y=\"").append(y1).append("\" width=\"")
          .append(f(pw)).append("\" height=\"").append(y0 - y1).append("\"><title>").append(esc(b.label))
          .append("</title></rect><text class=\"band-label\" x=\"").append(f(px + pw / 2)).append("\" y=\"")
          .append(y1 + 11).append("\" text-anchor=\"middle\">").append(esc(b.label)).append("</text>");
    }
    // grid and y ticks
    for (double t : niceTicks(yr[0], yr[1], 5)) {
      double py = py(t, yr, y0, y1);
      sb.append("<line class=\"grid\" x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"")
          .append(f(py)).append("\" y2=\"").append(f(py)).append("\"/><text class=\"tick\" x=\"").append(x0 - 6)
          .append("\" y=\"").append(f(py + 4)).append("\" text-anchor=\"end\">").append(esc(tick(t)))
          .append("</text>");
    }
    // x ticks
    List<Double> xt = new ArrayList<>();
    if (xTicksAt != null) {
      for (double t : xTicksAt) {
        if (t >= xr[0] && t <= xr[1]) {
          xt.add(t);
        }
      }
      xt = thin(xt, 12);
    } else if (logX) {
      // 1, 2 and 5 of each decade; only the powers of ten when there are many decades
      double[] marks = Math.log10(xr[1] / xr[0]) > 3 ? new double[] {1} : new double[] {1, 2, 5};
      for (double t = Math.pow(10, Math.floor(Math.log10(xr[0]))); t <= xr[1] * 1.0001; t *= 10) {
        for (double m : marks) {
          if (t * m >= xr[0] && t * m <= xr[1]) {
            xt.add(t * m);
          }
        }
      }
    } else {
      xt.addAll(niceTicks(xr[0], xr[1], 6));
    }
    for (double t : xt) {
      double px = px(t, xr, x0, x1);
      sb.append("<line class=\"tickmark\" x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"")
          .append(y0).append("\" y2=\"").append(y0 + 4).append("\"/><text class=\"tick\" x=\"").append(f(px))
          .append("\" y=\"").append(y0 + 16).append("\" text-anchor=\"middle\">").append(esc(tick(t)))
          .append("</text>");
    }
    // axes
    sb.append("<line class=\"axis\" x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"").append(y0)
        .append("\" y2=\"").append(y0).append("\"/><line class=\"axis\" x1=\"").append(x0).append("\" x2=\"")
        .append(x0).append("\" y1=\"").append(y0).append("\" y2=\"").append(y1).append("\"/>");
    sb.append("<text class=\"axis-label\" x=\"").append((x0 + x1) / 2).append("\" y=\"").append(HEIGHT - 8)
        .append("\" text-anchor=\"middle\">").append(esc(xLabel)).append(logX ? " (log scale)" : "")
        .append("</text><text class=\"axis-label\" transform=\"translate(14 ").append((y0 + y1) / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text>");
    // rules
    for (Rule r : rules) {
      if (r.y < yr[0] || r.y > yr[1]) {
        continue;
      }
      double py = py(r.y, yr, y0, y1);
      sb.append("<line class=\"rule\" x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"")
          .append(f(py)).append("\" y2=\"").append(f(py)).append("\"/><text class=\"rule-label\" x=\"")
          .append(x1 - 2).append("\" y=\"").append(f(py - 4)).append("\" text-anchor=\"end\">").append(esc(r.label))
          .append("</text>");
    }
    // series
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = COLORS[k % COLORS.length];
      StringBuilder d = new StringBuilder();
      int n = 0;
      boolean pen = false;
      for (int i = 0; i < s.x.length; i++) {
        if (!finite(s, i)) {
          pen = false;
          continue;
        }
        d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(f(px(s.x[i], xr, x0, x1))).append(' ')
            .append(f(py(s.y[i], yr, y0, y1)));
        pen = true;
        n++;
      }
      if (n == 0) {
        continue;
      }
      sb.append("<g class=\"series\" data-name=\"").append(esc(s.name)).append("\">");
      if (s.line) {
        sb.append("<path class=\"line\" data-points=\"").append(n).append("\" fill=\"none\" stroke=\"").append(color)
            .append("\" d=\"").append(d).append("\"/>");
      }
      if (s.markers || n == 1) {
        for (int i = 0; i < s.x.length; i++) {
          if (finite(s, i)) {
            sb.append("<circle class=\"point\" cx=\"").append(f(px(s.x[i], xr, x0, x1))).append("\" cy=\"")
                .append(f(py(s.y[i], yr, y0, y1))).append("\" r=\"3\" fill=\"").append(color).append("\"><title>")
                .append(esc(s.name)).append(": ").append(esc(tick(s.x[i]))).append(" → ")
                .append(esc(Figures.round(s.y[i], 4))).append(s.unit.isEmpty() ? "" : " " + esc(s.unit))
                .append("</title></circle>");
          }
        }
      }
      sb.append("</g>");
    }
    // legend, in a row above the plot
    double lx = x0;
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String color = COLORS[k % COLORS.length];
      sb.append("<g class=\"legend\"><rect x=\"").append(f(lx)).append("\" y=\"10\" width=\"10\" height=\"10\""
          + " fill=\"").append(color).append("\"/><text x=\"").append(f(lx + 14)).append("\" y=\"19\">")
          .append(esc(s.name)).append("</text></g>");
      lx += 24 + 6.2 * s.name.length();
      if (lx > WIDTH - 60 && k < series.size() - 1) {
        break; // a long legend is cut rather than drawn over the plot; the points' titles name their series
      }
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /** The data range of x or y, padded; y starts at 0 when all values are positive. */
  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (finite(s, i)) {
          double v = x ? s.x[i] : s.y[i];
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!x) {
      for (Rule r : rules) {
        lo = Math.min(lo, r.y);
        hi = Math.max(hi, r.y);
      }
      if (lo > 0) {
        lo = 0;
      }
      if (hi == lo) {
        hi = lo == 0 ? 1 : lo * 1.5;
      }
      double step = niceStep(lo, hi, 5);
      return new double[] {Math.floor(lo / step) * step, Math.ceil(hi * 1.02 / step) * step};
    }
    if (xTicksAt != null) {
      for (double t : xTicksAt) {
        if (!logX || t > 0) {
          lo = Math.min(lo, t);
          hi = Math.max(hi, t);
        }
      }
    }
    for (Band b : bands) {
      lo = Math.min(lo, b.from);
      hi = Math.max(hi, b.to);
    }
    if (logX) {
      return hi <= lo ? new double[] {lo / 2, lo * 2} : new double[] {lo / Math.pow(hi / lo, 0.04),
          hi * Math.pow(hi / lo, 0.04)};
    }
    if (hi == lo) {
      return new double[] {lo - 1, hi + 1};
    }
    double pad = (hi - lo) * 0.04;
    return new double[] {lo - pad, hi + pad};
  }

  private double px(double v, double[] r, int a, int b) {
    double t = logX ? (Math.log(v) - Math.log(r[0])) / (Math.log(r[1]) - Math.log(r[0])) : (v - r[0]) / (r[1] - r[0]);
    return a + t * (b - a);
  }

  private static double py(double v, double[] r, int a, int b) {
    return a + (v - r[0]) / (r[1] - r[0]) * (b - a);
  }

  private static double niceStep(double lo, double hi, int n) {
    double raw = (hi - lo) / n;
    if (!(raw > 0)) {
      return 1;
    }
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double r = raw / mag;
    return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
  }

  private static List<Double> niceTicks(double lo, double hi, int n) {
    double step = niceStep(lo, hi, n);
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
    }
    return out;
  }

  private static List<Double> thin(List<Double> ticks, int most) {
    if (ticks.size() <= most) {
      return ticks;
    }
    List<Double> out = new ArrayList<>();
    int every = (ticks.size() + most - 1) / most;
    for (int i = 0; i < ticks.size(); i += every) {
      out.add(ticks.get(i));
    }
    return out;
  }

  private static String tick(double v) {
    return Figures.round(v, 4);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes text and attribute values. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
