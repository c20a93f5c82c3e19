package io.github.infermetrics.cli.simulate;

import io.github.infermetrics.cli.internal.DurationText;
import java.math.BigDecimal;
import java.time.Duration;

/** Reading and writing {@link LoadPattern}'s text form, and its validation rules. */
final class PatternText {
  private PatternText() {}

  /** A pattern that cannot be read: the message names the text and the expected forms. */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  static Invalid error(String text, String why) {
    return new Invalid("invalid load pattern '" + text + "': " + why + "; expected " + LoadPattern.FORMS);
  }

  static void count(String text, String[] parts, int expected) {
    if (parts.length != expected) {
      throw error(text, "expected " + expected + " part" + (expected == 1 ? "" : "s") + " separated by '/', got "
          + parts.length);
    }
  }

  static double rate(String text, String s) {
    try {
      double r = Double.parseDouble(s.trim());
      checkRate("rate", r);
      return r;
    } catch (NumberFormatException e) {
      throw error(text, "not a rate: '" + s + "'");
    }
  }

  static double[] rates(String text, String s) {
    int dash = s.indexOf('-');
    if (dash <= 0) {
      throw error(text, "expected two rates FROM-TO, got '" + s + "'");
    }
    return new double[] {rate(text, s.substring(0, dash)), rate(text, s.substring(dash + 1))};
  }

  static Duration duration(String text, String s) {
    try {
      return DurationText.parse(s);
    } catch (IllegalArgumentException e) {
      throw error(text, e.getMessage());
    }
  }

  static void checkRate(String field, double rate) {
    if (!Double.isFinite(rate) || rate < 0) {
      throw new IllegalArgumentException(field + ": a rate must be finite and not negative, got " + rate);
    }
  }

  static void checkPositive(String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + ": must be more than zero, got "
          + (d == null ? "none" : DurationText.format(d)));
    }
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String text(Duration d) {
    return DurationText.format(d);
  }
}
