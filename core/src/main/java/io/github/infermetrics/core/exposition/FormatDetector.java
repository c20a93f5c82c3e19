package io.github.infermetrics.core.exposition;

/** Guesses an exposition's format from its bytes when neither the caller nor a {@code Content-Type} says. */
final class FormatDetector {
  /** How much of the beginning of an input detection looks at. */
  static final int DETECT_BYTES = 64 * 1024;
  private static final long HASHES = 0x2323232323232323L;
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  private FormatDetector() {}

  /**
   * Guesses the format of an exposition from its bytes. Prometheus text wins when the beginning shows something
   * OpenMetrics forbids ({@code untyped}, a counter family named {@code *_total}, a blank line, a free comment);
   * else OpenMetrics when the input ends with {@code # EOF} or its beginning has OpenMetrics-only syntax
   * ({@code # UNIT}, {@code # EOF}, an OpenMetrics-only type, an exemplar); else Prometheus text. {@code # EOF}
   * alone is not enough: it is a valid comment in Prometheus text, and real 0.0.4 files end with it.
   */
  static ExpositionFormat detect(byte[] b, int from, int to, boolean complete) {
    int limit = Math.min(to, from + DETECT_BYTES);
    boolean om = false;
    int i = from;
    while (i < limit) {
      int eol;
      if (b[i] != '#' && !om) {
        // a sample line: its end, and on the way any "} # {" of an exemplar, in one pass eight bytes at a time
        int j = i;
        while (true) {
          int h = Swar.indexOfEither(b, j, limit, NEWLINES, HASHES);
          if (h < 0) {
            eol = limit;
            break;
          }
          if (b[h] == '\n') {
            eol = h;
            break;
          }
          if (h - 2 >= i && h + 2 < limit && b[h - 2] == '}' && b[h - 1] == ' ' && b[h + 1] == ' '
              && b[h + 2] == '{') {
            om = true; // an exemplar
          }
          j = h + 1;
        }
      } else {
        eol = Swar.indexOfNewline(b, i, limit);
        if (eol < 0) {
          eol = limit;
        }
      }
      if (eol == i && eol < to - 1) {
        return ExpositionFormat.PROMETHEUS_TEXT; // a blank line
      }
      if (b[i] == '#') {
        if (startsWith(b, i, eol, "# TYPE ")) {
          if (endsWith(b, i, eol, " untyped") || endsWith(b, i, eol, "_total counter")) {
            return ExpositionFormat.PROMETHEUS_TEXT;
          }
          om |= endsWith(b, i, eol, " unknown") || endsWith(b, i, eol, " gaugehistogram")
              || endsWith(b, i, eol, " stateset") || endsWith(b, i, eol, " info");
        } else if (startsWith(b, i, eol, "# UNIT ") || eol - i == 5 && startsWith(b, i, eol, "# EOF")) {
          om = true;
        } else if (!startsWith(b, i, eol, "# HELP ")) {
          return ExpositionFormat.PROMETHEUS_TEXT; // a free comment
        }
      }
      i = eol + 1;
    }
    if (complete) {
      int e = to;
      if (e > from && b[e - 1] == '\n') {
        e--;
      }
      if (e > from && b[e - 1] == '\r') {
        e--;
      }
      om |= e - from >= 5 && startsWith(b, e - 5, e, "# EOF") && (e - 5 == from || b[e - 6] == '\n');
    }
    return om ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT;
  }

  private static boolean startsWith(byte[] b, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (b[from + k] != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWith(byte[] b, int from, int to, String suffix) {
    int e = to > from && b[to - 1] == '\r' ? to - 1 : to;
    return e - from >= suffix.length() && startsWith(b, e - suffix.length(), e, suffix);
  }
}
