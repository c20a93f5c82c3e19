package io.github.infermetrics.cli.loadtest;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How the report writes numbers: exactly in the data files (the shortest decimal that reads back as the same double,
 * never in exponent form, so a spreadsheet and a test recompute the same percentiles), and rounded for people.
 */
final class Figures {
  private Figures() {}

  /**
   * The exact form of a number for JSON and CSV.
   *
   * @param v a finite number
   * @return for example {@code 0.0812}, {@code 12}, {@code 0.000004}
   */
  static String exact(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString(); // 4.0E-6 is 0.000004
  }

  /**
   * Microseconds as seconds, exactly: {@code 81234} is {@code 0.081234}.
   *
   * @param micros microseconds
   * @return seconds
   */
  static String micros(long micros) {
    return BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
  }

  /**
   * A load for people: {@code 2}, {@code 0.5}, {@code 1.25}.
   *
   * @param load the load
   * @return the text
   */
  static String load(double load) {
    return load == Math.rint(load) && Math.abs(load) < 1e15 ? Long.toString((long) load)
        : BigDecimal.valueOf(load).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  /**
   * Seconds for people, in the unit that reads best: {@code 83 ms}, {@code 1.25 s}, {@code 950 µs}.
   *
   * @param seconds seconds, or NaN
   * @return the text, {@code -} for NaN
   */
  static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "-";
    }
    double a = Math.abs(seconds);
    if (a >= 1) {
      return round(seconds, 3) + " s";
    }
    if (a >= 1e-3) {
      return round(seconds * 1e3, 3) + " ms";
    }
    return round(seconds * 1e6, 3) + " µs";
  }

  /**
   * A ratio as a percentage for people: {@code 97.5 %}.
   *
   * @param ratio 0 to 1, or NaN
   * @return the text, {@code -} for NaN
   */
  static String percent(double ratio) {
    return Double.isNaN(ratio) ? "-" : round(ratio * 100, 3) + " %";
  }

  /**
   * A number for people with {@code digits} significant digits, no exponent: {@code 1467}, {@code 3.95}.
   *
   * @param v the number, or NaN
   * @param digits significant digits
   * @return the text, {@code -} for NaN
   */
  static String round(double v, int digits) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal d = BigDecimal.valueOf(v);
    if (Math.abs(v) >= Math.pow(10, digits)) {
      return d.setScale(0, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }
    return d.round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
  }

  /**
   * Dollars for people: {@code $0.54}, {@code $0.0031}.
   *
   * @param usd the amount
   * @return the text
   */
  static String usd(double usd) {
    return Double.isNaN(usd) ? "-" : usd >= 1 ? String.format(Locale.ROOT, "$%.2f", usd) : "$" + round(usd, 2);
  }
}
