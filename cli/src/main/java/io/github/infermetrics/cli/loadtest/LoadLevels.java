package io.github.infermetrics.cli.loadtest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The loads of a sweep, one per step, as {@code --rate} and {@code --concurrency} take them: numbers separated by
 * commas, and ranges {@code FROM..TO} that multiply ({@code 1..64x2}: 1, 2, 4, ..., 64; {@code x2} when no step is
 * given) or add ({@code 4..32+4}: 4, 8, ..., 32). {@code 1,2,4..16x2} mixes them. The loads must increase, so that
 * "the highest load that meets the SLO" means what it says.
 */
final class LoadLevels {
  /** More steps than this is a typo (a range with a tiny step), not a plan. */
  static final int MAX_STEPS = 100;

  private LoadLevels() {}

  /**
   * Reads a sweep.
   *
   * @param flag the option, for messages ({@code --rate})
   * @param text what the user wrote
   * @param integers whether loads are whole numbers (concurrency)
   * @return the loads, increasing
   * @throws IllegalArgumentException with one line naming the flag and the part that is wrong
   */
  static List<Double> parse(String flag, String text, boolean integers) {
    List<Double> out = new ArrayList<>();
    String example = integers ? "for example 1,2,4,8 or 1..64x2 or 4..32+4" : "for example 1,2,4,8 or 0.5..16x2";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(flag + ": no load given (" + example + ")");
    }
    for (String raw : text.split(",", -1)) {
      String item = raw.strip();
      if (item.isEmpty()) {
        throw new IllegalArgumentException(flag + ": empty item in '" + text + "' (" + example + ")");
      }
      int dots = item.indexOf("..");
      if (dots < 0) {
        add(out, flag, number(flag, item, item, integers, example), text);
        continue;
      }
      String fromText = item.substring(0, dots);
      String rest = item.substring(dots + 2);
      int times = rest.indexOf('x');
      int plus = rest.indexOf('+');
      String toText = times >= 0 ? rest.substring(0, times) : plus >= 0 ? rest.substring(0, plus) : rest;
      double from = number(flag, item, fromText, integers, example);
      double to = number(flag, item, toText, integers, example);
      if (to < from) {
        throw new IllegalArgumentException(flag + ": range '" + item + "' goes down; loads must increase");
      }
      if (plus >= 0) {
        // decimal steps added with BigDecimal, so 0.1..0.5+0.1 ends at 0.5, not at 0.49999999999999994
        BigDecimal step = new BigDecimal(number(flag, item, rest.substring(plus + 1), integers, example) + "");
        BigDecimal end = new BigDecimal(to + "");
        for (BigDecimal v = new BigDecimal(from + ""); v.compareTo(end) <= 0; v = v.add(step)) {
          add(out, flag, v.doubleValue(), text);
        }
      } else {
        double factor = times >= 0 ? factor(flag, item, rest.substring(times + 1), example) : 2;
        for (double v = from; v <= to * (1 + 1e-12); v *= factor) {
          add(out, flag, integers ? Math.rint(v) : v, text);
        }
      }
    }
    return List.copyOf(out);
  }

  private static void add(List<Double> out, String flag, double v, String text) {
    if (!out.isEmpty() && v <= out.get(out.size() - 1)) {
      throw new IllegalArgumentException(flag + ": loads must increase, but " + Figures.load(v) + " comes after "
          + Figures.load(out.get(out.size() - 1)) + " in '" + text + "'");
    }
    if (out.size() == MAX_STEPS) {
      throw new IllegalArgumentException(flag + ": more than " + MAX_STEPS + " steps in '" + text + "'");
    }
    out.add(v);
  }

  private static double number(String flag, String item, String text, boolean integers, String example) {
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a number: '" + text.strip() + "' in '" + item + "' ("
          + example + ")");
    }
    if (!Double.isFinite(v) || v <= 0) {
      throw new IllegalArgumentException(flag + ": loads must be more than 0, got '" + text.strip() + "'");
    }
    if (integers && v != Math.rint(v)) {
      throw new IllegalArgumentException(flag + ": a concurrency is a whole number of requests, got '"
          + text.strip() + "'");
    }
    if (integers && v > 100_000) {
      throw new IllegalArgumentException(flag + ": at most 100000 requests at once, got '" + text.strip() + "'");
    }
    return v;
  }

  private static double factor(String flag, String item, String text, String example) {
    double f;
    try {
      f = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a factor: '" + text.strip() + "' in '" + item + "' ("
          + example + ")");
    }
    if (!(f > 1) || Double.isInfinite(f)) {
      throw new IllegalArgumentException(flag + ": the factor after x must be more than 1 in '" + item + "'");
    }
    return f;
  }
}
