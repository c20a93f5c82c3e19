package io.github.infermetrics.cloudwatch.insights;

import io.github.infermetrics.cloudwatch.insights.internal.QueryText;
import java.util.Objects;
import java.util.regex.Pattern;

/** A literal: text, number, regex or time period. */
sealed interface Literal extends Expr {
  @Override
  default int precedence() {
    return Binary.ATOM;
  }

  @Override
  default boolean aggregates() {
    return false;
  }

  /** A string in double quotes. */
  record Text(String value) implements Literal {
    public Text {
      Objects.requireNonNull(value, "value");
      int bad = QueryText.badControl(value);
      if (bad >= 0) {
        throw new IllegalArgumentException("string: control character U+"
            + String.format("%04X", (int) value.charAt(bad)) + " at index " + bad);
      }
    }

    @Override
    public void appendTo(StringBuilder sb) {
      QueryText.appendString(sb, value, '"');
    }

    @Override
    public String toString() {
      return Binary.text(this);
    }
  }

  /** A finite number. */
  record Number(double value) implements Literal {
    public Number {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("number: must be finite: " + value);
      }
    }

    @Override
    public void appendTo(StringBuilder sb) {
      QueryText.appendNumber(sb, value);
    }

    @Override
    public int precedence() {
      // a negative number next to an operator reads like a subtraction: give it parentheses where it matters
      return value < 0 ? Binary.NEG : Binary.ATOM;
    }

    @Override
    public String toString() {
      return Binary.text(this);
    }
  }

  /** A regular expression between slashes. */
  record Regex(String pattern) implements Literal {
    public Regex {
      Objects.requireNonNull(pattern, "pattern");
      if (pattern.isEmpty()) {
        throw new IllegalArgumentException("regex: must not be empty");
      }
      if (QueryText.endsWithLoneBackslash(pattern)) {
        throw new IllegalArgumentException("regex: ends with an unpaired backslash: " + pattern);
      }
    }

    @Override
    public void appendTo(StringBuilder sb) {
      QueryText.appendRegex(sb, pattern);
    }

    @Override
    public String toString() {
      return Binary.text(this);
    }
  }

  /** A time period such as {@code 5m}. */
  record Period(String text) implements Literal {
    private static final Pattern PERIOD = Pattern.compile("[1-9][0-9]{0,8}(ms|msecs?|milliseconds?|s|secs?|seconds?"
        + "|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|mo|mons?|months?|q|qtrs?|quarters?|y|yrs?|years?)");

    public Period {
      Objects.requireNonNull(text, "period");
      if (!PERIOD.matcher(text).matches()) {
        throw new IllegalArgumentException("period: not a time period (for example 5m, 1h, 1d): '" + text + "'");
      }
    }

    @Override
    public void appendTo(StringBuilder sb) {
      sb.append(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
