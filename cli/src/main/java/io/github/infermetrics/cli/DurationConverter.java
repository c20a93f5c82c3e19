package io.github.infermetrics.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/** Reads {@code 10s}, {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT10S}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.startsWith("pt") || v.startsWith("p")) {
        return positive(Duration.parse(value.trim()), value);
      }
      int unitAt = 0;
      while (unitAt < v.length() && (Character.isDigit(v.charAt(unitAt)) || v.charAt(unitAt) == '.')) {
        unitAt++;
      }
      if (unitAt == 0) {
        throw new CommandLine.TypeConversionException("not a duration: " + value + " (for example 10s, 500ms, 2m)");
      }
      double amount = Double.parseDouble(v.substring(0, unitAt));
      String unit = v.substring(unitAt);
      double nanos;
      switch (unit) {
        case "ms":
          nanos = amount * 1e6;
          break;
        case "s":
        case "":
          nanos = amount * 1e9;
          break;
        case "m":
          nanos = amount * 60e9;
          break;
        case "h":
          nanos = amount * 3600e9;
          break;
        default:
          throw new CommandLine.TypeConversionException("unknown unit '" + unit + "' in " + value
              + " (use ms, s, m or h)");
      }
      return positive(Duration.ofNanos((long) nanos), value);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new CommandLine.TypeConversionException("not a duration: " + value + " (for example 10s, 500ms, 2m)");
    }
  }

  private static Duration positive(Duration d, String value) {
    if (d.isNegative() || d.isZero()) {
      throw new CommandLine.TypeConversionException("duration must be positive: " + value);
    }
    return d;
  }
}
