package io.github.infermetrics.core.internal.text;

import io.github.infermetrics.core.snapshot.Labels;

/**
 * The lines of the Prometheus text format (0.0.4) and of OpenMetrics 1.0 that every writer of an exposition shares:
 * the HELP and TYPE lines, escaped label values, and sample lines. How a value is spelled differs by the program a
 * writer imitates, so the callers pass it as text ({@link FloatFormats}).
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * Appends {@code # HELP name text} and {@code # TYPE name type}, each with its line feed. The text escapes backslash
   * and line feed; OpenMetrics escapes the double quote too, text 0.0.4 leaves it as it is.
   *
   * @param sb where to append
   * @param name the family name
   * @param help the HELP text
   * @param type {@code counter}, {@code gauge}, ...
   * @param openMetrics whether the exposition is OpenMetrics
   */
  public static void appendHeader(StringBuilder sb, String name, String help, String type, boolean openMetrics) {
    sb.append("# HELP ").append(name).append(' ');
    appendEscaped(sb, help, openMetrics);
    sb.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /**
   * Appends a sample line: {@code name{a="1",b="x\"y"} value} and a line feed, no braces when there are no labels.
   *
   * @param sb where to append
   * @param name the sample name
   * @param labels the labels, in the order to write them
   * @param value the value as the imitated program spells it
   */
  public static void appendSample(StringBuilder sb, String name, Labels labels, String value) {
    sb.append(name);
    if (!labels.isEmpty()) {
      appendLabels(sb, labels);
    }
    sb.append(' ').append(value).append('\n');
  }

  /**
   * Appends {@code {a="1",b="x\"y"}}, braces included (also when there are no labels).
   *
   * @param sb where to append
   * @param labels the labels, in the order to write them
   */
  public static void appendLabels(StringBuilder sb, Labels labels) {
    sb.append('{');
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      appendLabel(sb, labels.name(i), labels.value(i));
    }
    sb.append('}');
  }

  /**
   * Appends {@code name="value"} with the value escaped: backslash, double quote and line feed.
   *
   * @param sb where to append
   * @param name the label name
   * @param value the label value
   */
  public static void appendLabel(StringBuilder sb, String name, String value) {
    sb.append(name).append("=\"");
    appendEscaped(sb, value, true);
    sb.append('"');
  }

  private static void appendEscaped(StringBuilder sb, String s, boolean quote) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '"' -> sb.append(quote ? "\\\"" : "\"");
        default -> sb.append(c);
      }
    }
  }
}
