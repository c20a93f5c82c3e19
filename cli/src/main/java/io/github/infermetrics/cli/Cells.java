package io.github.infermetrics.cli;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiUnit;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Optional;

/**
 * How numbers look in the text tables people read: a fixed precision per kind of column, durations in the unit that
 * suits them ({@code 8.0 µs}, {@code 95.0 ms}, {@code 1.25 s}), ratios as percent, and values that are only bounds
 * with their sign ({@code ≤100 ms}). JSON output keeps full precision in base units; this is for the eye only.
 */
final class Cells {
  /** Whether the platform's output can show {@code ≤} and {@code µ}; ASCII {@code <=} and {@code us} otherwise. */
  static final boolean UNICODE = Charset.defaultCharset().newEncoder().canEncode("≤µ");

  private Cells() {}

  /**
   * A duration with three significant digits in the unit that suits it.
   *
   * @param seconds the duration
   * @return for example {@code 8.04 µs}, {@code 95.0 ms}, {@code 1.25 s}, {@code 125 s}
   */
  static String duration(double seconds) {
    return appendDuration(new StringBuilder(16), seconds).toString();
  }

  /**
   * {@link #duration(double)}, appended.
   *
   * @param sb where
   * @param seconds the duration
   * @return {@code sb}
   */
  static StringBuilder appendDuration(StringBuilder sb, double seconds) {
    double abs = Math.abs(seconds);
    if (abs == 0) {
      return sb.append("0 s");
    }
    if (abs < 1e-3) {
      return appendThreeDigits(sb, seconds * 1e6).append(UNICODE ? " µs" : " us");
    }
    if (abs < 1) {
      return appendThreeDigits(sb, seconds * 1e3).append(" ms");
    }
    return appendThreeDigits(sb, seconds).append(" s");
  }

  /** Three significant digits, no exponent: 8.04, 95.0, 412, 1467. */
  private static String threeDigits(double v) {
    return appendThreeDigits(new StringBuilder(16), v).toString();
  }

  private static StringBuilder appendThreeDigits(StringBuilder sb, double v) {
    double abs = Math.abs(v);
    int decimals = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
    return appendFixed(sb, v, decimals);
  }

  private static final double[] POW10 = {1, 10, 100, 1000};

  /**
   * {@code String.format(Locale.ROOT, "%.<decimals>f", v)}, the same text, without a {@link java.util.Formatter}
   * (which looks up the locale's symbols and builds its pieces anew on every call: the table of a large fleet is
   * thousands of cells every interval). {@code Formatter} rounds the shortest decimal of {@code v} half up; away
   * from a tie that is the rounding of {@code v} itself, which is what is done here for values whose scaled form is
   * exact enough to tell (below 10^9); ties and everything else go to {@code String.format}.
   */
  static String fixed(double v, int decimals) {
    return appendFixed(new StringBuilder(16), v, decimals).toString();
  }

  /**
   * {@link #fixed(double, int)}, appended: the table appends its cells in place.
   *
   * @param sb where
   * @param v the value
   * @param decimals 0 to 3
   * @return {@code sb}
   */
  static StringBuilder appendFixed(StringBuilder sb, double v, int decimals) {
    double abs = Math.abs(v);
    if (!(abs * POW10[decimals] < 1e9)) {
      return sb.append(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }
    double scaled = abs * POW10[decimals];
    double floor = Math.floor(scaled);
    double frac = scaled - floor;
    if (Math.abs(frac - 0.5) < 1e-6) {
      return sb.append(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }
    long units = (long) floor + (frac > 0.5 ? 1 : 0);
    if (Double.doubleToRawLongBits(v) < 0) {
      sb.append('-'); // Formatter keeps the sign of a negative value that rounds to zero: -0.0
    }
    long unit = (long) POW10[decimals];
    sb.append(units / unit);
    if (decimals > 0) {
      sb.append('.');
      long rest = units % unit;
      for (long d = unit / 10; d > 0; d /= 10) {
        sb.append((char) ('0' + rest / d % 10));
      }
    }
    return sb;
  }

  /**
   * A rate or count with one decimal; a positive value too small for one decimal says so.
   *
   * @param v the value
   * @return for example {@code 15.0}, {@code 1467.2}, {@code <0.1}
   */
  static String oneDecimal(double v) {
    return appendOneDecimal(new StringBuilder(16), v).toString();
  }

  /**
   * {@link #oneDecimal(double)}, appended.
   *
   * @param sb where
   * @param v the value
   * @return {@code sb}
   */
  static StringBuilder appendOneDecimal(StringBuilder sb, double v) {
    if (v > 0 && v < 0.05) {
      return sb.append("<0.1");
    }
    return appendFixed(sb, v, 1);
  }

  /**
   * A ratio as percent with one decimal.
   *
   * @param ratio 0 to 1
   * @return for example {@code 7.6}
   */
  static String percent(double ratio) {
    return oneDecimal(ratio * 100);
  }

  /**
   * A value of a unit, as its column shows it: durations with their unit, ratios as percent, other values with one
   * decimal (whole bytes and counts from 1,000 up).
   *
   * @param v the value
   * @param unit its unit, if known
   * @param bound set when the value is only a bound: the bound's limit is shown with its sign instead
   * @return the cell
   */
  static String value(double v, Optional<KpiUnit> unit, Optional<Bound> bound) {
    if (bound.isPresent()) {
      return sign(bound.get()) + value(bound.get().limit(), unit, Optional.empty());
    }
    if (unit.isEmpty()) {
      return KpiReportWriter.cell(v);
    }
    switch (unit.get()) {
      case SECONDS:
        return duration(v);
      case RATIO:
        return percent(v) + "%";
      case BYTES:
        return bytes(v);
      default:
        return Math.abs(v) >= 1000 ? fixed(v, 0) : KpiReportWriter.cell(v);
    }
  }

  /** Bytes in binary units with three significant digits. */
  static String bytes(double v) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    double x = v;
    while (Math.abs(x) >= 1024 && u < units.length - 1) {
      x /= 1024;
      u++;
    }
    return (u == 0 ? fixed(x, 0) : threeDigits(x)) + " " + units[u];
  }

  /**
   * The sign of a bound.
   *
   * @param b the bound
   * @return {@code ≤} or {@code >} ({@code <=} without Unicode)
   */
  static String sign(Bound b) {
    return UNICODE ? b.symbol() : b.side().ascii();
  }
}
