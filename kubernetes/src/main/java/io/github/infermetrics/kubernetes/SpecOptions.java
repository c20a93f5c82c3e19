package io.github.infermetrics.kubernetes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code key=value,key=value} syntax of the Kubernetes CLI specs, where a selector may hold commas: commas
 * inside parentheses or double quotes never split, and a piece that does not start with a known option continues
 * the selector before it.
 */
final class SpecOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private SpecOptions() {}

  /**
   * Splits a spec into options.
   *
   * @param flag the CLI flag, which starts every message
   * @param spec the spec
   * @param options the option names, in the order the messages list them
   * @return {key, value} pairs in order
   * @throws IllegalArgumentException one line naming what is wrong
   */
  static List<String[]> split(String flag, String spec, List<String> options) {
    Pattern optionStart = Pattern.compile("^\\s*(" + String.join("|", options) + ")\\s*=");
    List<String> pieces = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (!quoted && depth == 0 && c == ',') {
        pieces.add(spec.substring(start, i));
        start = i + 1;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException(flag + ": a double quote is not closed in \"" + spec + "\"");
    }
    pieces.add(spec.substring(start));
    List<String[]> result = new ArrayList<>();
    for (String piece : pieces) {
      if (piece.isBlank()) {
        if (spec.isBlank()) {
          continue;
        }
        throw new IllegalArgumentException(flag + ": an empty option in \"" + spec + "\"");
      }
      Matcher m = optionStart.matcher(piece);
      if (m.find()) {
        result.add(new String[] {m.group(1), unquote(piece.substring(m.end()).strip())});
      } else if (!result.isEmpty() && result.get(result.size() - 1)[0].equals("selector")) {
        String[] last = result.get(result.size() - 1);
        last[1] = last[1] + "," + piece.strip(); // a selector requirement after a comma
      } else {
        throw new IllegalArgumentException(flag + ": unknown option \"" + piece.strip() + "\" (options: "
            + String.join(", ", options) + ", as key=value separated by commas)");
      }
    }
    return result;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  /** {@code 0}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
  static Duration duration(String option, String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(option + " must be a duration such as 30s, 5m or 1h, or 0: " + text);
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms": return Duration.ofMillis(n);
      case "s": return Duration.ofSeconds(n);
      case "m": return Duration.ofMinutes(n);
      default: return Duration.ofHours(n);
    }
  }
}
