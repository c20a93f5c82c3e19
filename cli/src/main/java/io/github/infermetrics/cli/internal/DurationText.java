package io.github.infermetrics.cli.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one duration grammar of the command line, shared by every option that takes a duration and by load patterns:
 * a decimal number with {@code ms}, {@code s}, {@code m} or {@code h} ({@code 10s}, {@code 500ms}, {@code 1.5s},
 * {@code 2m}), a bare number of seconds ({@code 15}), or ISO-8601 ({@code PT10S}). In a package the module does not
 * export: it is not API.
 */
public final class DurationText {
  /** What the error messages suggest. */
  public static final String EXAMPLES = "for example 10s, 500ms, 2m or 15 (seconds)";

  private DurationText() {}

  /**
   * Reads a positive duration.
   *
   * @param text the text
   * @return the duration, positive
   * @throws IllegalArgumentException with a message for a person, quoting the text
   */
  public static Duration parse(String text) {
    String v = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    Duration d;
    if (v.startsWith("p")) {
      try {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "' (" + EXAMPLES + ")");
      }
    } else {
      int unitAt = 0;
      while (unitAt < v.length() && (Character.isDigit(v.charAt(unitAt)) || v.charAt(unitAt) == '.')) {
        unitAt++;
      }
      double amount;
      try {
        amount = Double.parseDouble(v.substring(0, unitAt));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "' (" + EXAMPLES + ")");
      }
      double nanosPerUnit;
      switch (v.substring(unitAt).strip()) {
        case "ms":
          nanosPerUnit = 1e6;
          break;
        case "s":
        case "":
          nanosPerUnit = 1e9;
          break;
        case "m":
          nanosPerUnit = 60e9;
          break;
        case "h":
          nanosPerUnit = 3600e9;
          break;
        default:
          throw new IllegalArgumentException("unknown unit '" + v.substring(unitAt).strip() + "' in '" + text
              + "' (use ms, s, m or h, for example 10s)");
      }
      d = Duration.ofNanos((long) (amount * nanosPerUnit));
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("a duration must be more than zero, got '" + text.strip() + "'");
    }
    return d;
  }

  /**
   * Writes a duration the way {@link #parse} reads it, in the largest unit that keeps it exact: {@code 1m},
   * {@code 90s}, {@code 1500ms}, {@code 0.25ms}.
   *
   * @param d the duration
   * @return the text
   */
  public static String format(Duration d) {
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    long nanos;
    try {
      nanos = d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.toHours() + "h";
    }
    if (nanos != 0 && nanos % 3_600_000_000_000L == 0) {
      return nanos / 3_600_000_000_000L + "h";
    }
    if (nanos != 0 && nanos % 60_000_000_000L == 0) {
      return nanos / 60_000_000_000L + "m";
    }
    if (nanos % 1_000_000_000L == 0) {
      return nanos / 1_000_000_000L + "s";
    }
    if (nanos % 1_000_000L == 0) {
      return nanos / 1_000_000L + "ms";
    }
    return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + "ms";
  }
}
