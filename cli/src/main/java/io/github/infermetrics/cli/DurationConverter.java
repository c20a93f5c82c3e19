package io.github.infermetrics.cli;

import io.github.infermetrics.cli.internal.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** Reads an option's duration with the command line's one grammar ({@link DurationText}). */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return DurationText.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /** The same grammar for an option held as seconds ({@code kpi --window 10s}, or {@code --window 15}). */
  static final class InSeconds implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      Duration d = new DurationConverter().convert(value);
      return d.getSeconds() + d.getNano() / 1e9;
    }
  }
}
