package io.github.infermetrics.core.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A later capture of the same server: counters increased, gauges set, histograms given new observations, on the
 * text of an earlier one. Only the lines named change.
 */
public final class LaterCapture {
  private static final Pattern SAMPLE = Pattern.compile("^([^{ ]+)(\\{[^}]*\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
  private final List<String> lines;
  private int changed;

  /**
   * Starts from an earlier capture.
   *
   * @param earlier its exposition text
   */
  public LaterCapture(String earlier) {
    this.lines = new ArrayList<>(List.of(earlier.split("\n", -1)));
  }

  /** Adds to a counter sample, given as written ({@code name{labels}}). */
  public LaterCapture add(String series, double delta) {
    return edit(series, v -> v + delta);
  }

  /** Sets a gauge sample. */
  public LaterCapture set(String series, double value) {
    return edit(series, v -> value);
  }

  /** Observes values into a histogram whose series have these labels (besides {@code le}). */
  public LaterCapture observe(String family, Map<String, String> labels, double... values) {
    double sum = 0;
    for (double x : values) {
      sum += x;
    }
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SAMPLE.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      Map<String, String> l = labels(m.group(2));
      String le = l.remove("le");
      if (!l.equals(labels)) {
        continue;
      }
      double add;
      if (m.group(1).equals(family + "_bucket")) {
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        add = 0;
        for (double x : values) {
          add += x <= bound ? 1 : 0;
        }
      } else if (m.group(1).equals(family + "_count")) {
        add = values.length;
      } else if (m.group(1).equals(family + "_sum")) {
        add = sum;
      } else {
        continue;
      }
      lines.set(i, replace(m, Double.parseDouble(m.group(3)) + add));
      changed++;
    }
    return this;
  }

  /** Adds a sample line after an existing one (a series the server writes for the first time). */
  public LaterCapture insertAfter(String series, String line) {
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SAMPLE.matcher(lines.get(i));
      if (m.matches() && (m.group(1) + (m.group(2) == null ? "" : m.group(2))).equals(series)) {
        lines.add(i + 1, line);
        changed++;
        return this;
      }
    }
    throw new IllegalArgumentException("no sample " + series);
  }

  private LaterCapture edit(String series, java.util.function.DoubleUnaryOperator f) {
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = SAMPLE.matcher(lines.get(i));
      if (m.matches() && (m.group(1) + (m.group(2) == null ? "" : m.group(2))).equals(series)) {
        lines.set(i, replace(m, f.applyAsDouble(Double.parseDouble(m.group(3)))));
        changed++;
        return this;
      }
    }
    throw new IllegalArgumentException("no sample " + series);
  }

  private static String replace(Matcher m, double value) {
    return m.group(1) + (m.group(2) == null ? "" : m.group(2)) + " "
        + new BigDecimal(Double.toString(value)).toPlainString();
  }

  private static Map<String, String> labels(String block) {
    Map<String, String> out = new LinkedHashMap<>();
    if (block != null) {
      Matcher m = LABEL.matcher(block);
      while (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  /** How many sample lines were changed. */
  public int changed() {
    return changed;
  }

  /** The later capture's text. */
  public String text() {
    return String.join("\n", lines);
  }
}
