package io.github.infermetrics.core.fuzz;

import java.util.List;

/**
 * Re-renders parsed samples as Prometheus text 0.0.4: the test side of the round trip (core has no writer of its
 * own; the CLI's {@code parse --json} is the product's). Names that are not legacy names use the quoted form
 * {@code {"name",...}}; label values are escaped the 0.0.4 way ({@code \\ \" \n}); values use
 * {@link Double#toString(double)}, whose forms ({@code 1.0E-5}, {@code NaN}, {@code Infinity}) the grammar accepts
 * apart from the infinities, which are spelled {@code +Inf} / {@code -Inf}.
 */
final class SampleText {
  private SampleText() {}

  static String render(List<ParsedSample> samples) {
    StringBuilder sb = new StringBuilder();
    for (ParsedSample s : samples) {
      boolean legacy = isLegacyName(s.name(), true);
      if (legacy) {
        sb.append(s.name()).append('{');
      } else {
        sb.append('{');
        quote(sb, s.name());
        if (s.labelNames().length > 0) {
          sb.append(',');
        }
      }
      for (int i = 0; i < s.labelNames().length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        if (isLegacyName(s.labelNames()[i], false)) {
          sb.append(s.labelNames()[i]);
        } else {
          quote(sb, s.labelNames()[i]);
        }
        sb.append('=');
        quote(sb, s.labelValues()[i]);
      }
      sb.append("} ").append(number(s.value()));
      if (s.hasTimestamp()) {
        sb.append(' ').append(s.timestampMillis());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    if (v == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    return Double.toString(v);
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }

  private static boolean isLegacyName(String s, boolean metric) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':')
          || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
