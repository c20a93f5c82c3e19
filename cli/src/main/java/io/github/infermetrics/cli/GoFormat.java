package io.github.infermetrics.cli;

import io.github.infermetrics.core.internal.text.FloatFormats;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Formatting helpers that reproduce, byte for byte, what the Go tool prom2json prints: numbers as
 * Go's {@code fmt.Sprint} prints a {@code float64} or a {@code uint64}, and strings as Go's {@code
 * encoding/json} {@code json.Marshal} escapes them.
 */
final class GoFormat {

  /** 2^64, the first value a {@code uint64} cannot hold. */
  private static final double TWO_POW_64 = 0x1p64;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoFormat() {}

  /**
   * Formats a summary or histogram count the way prom2json prints it: Go converts the {@code
   * float64} count to {@code uint64} (truncating toward zero) and prints that integer.
   *
   * <p>For finite {@code v} with {@code -1 < v < 2^64} the result is the truncated integer in
   * decimal, exact even beyond {@link Long#MAX_VALUE} (so {@code 1.8e19} prints as {@code
   * 18000000000000000000}); a value in {@code (-1, 0]} truncates to {@code 0}, which Go defines
   * too. For every other value (at most {@code -1}, NaN, infinite, or at least {@code 2^64}) Go's
   * conversion is implementation-dependent; it is deliberately not reproduced, and the value is
   * printed with {@link FloatFormats#go(double)} instead.
   *
   * @param v the count
   * @return the text to print for it
   */
  static String formatUint(double v) {
    if (Double.isFinite(v) && v > -1 && v < TWO_POW_64) {
      if (v < 0x1p63) {
        return Long.toString((long) v);
      }
      BigInteger truncated = new BigDecimal(v).toBigInteger();
      return truncated.toString();
    }
    return FloatFormats.go(v);
  }

  /**
   * Appends {@code s} as a JSON string literal, escaped exactly as Go's {@code json.Marshal} does
   * (HTML escaping on): {@code "} and {@code \} get a backslash; {@code \b}, {@code \f}, {@code
   * \n}, {@code \r} and {@code \t} use their short escapes; other control characters below U+0020
   * and {@code <}, {@code >}, {@code &}, U+2028 and U+2029 become {@code \}{@code u} escapes with
   * lower-case hex digits; an unpaired surrogate (what invalid UTF-8 turns into) becomes {@code
   * \}{@code ufffd}; everything else, DEL and non-ASCII included, is written as it is.
   *
   * @param out where to append
   * @param s the string
   */
  static void appendJsonString(StringBuilder out, String s) {
    out.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> appendUnicodeEscape(out, c);
        default -> {
          if (c < 0x20) {
            appendUnicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)) {
            if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
              out.append(c).append(s.charAt(i + 1));
              i++;
            } else {
              out.append("\\ufffd");
            }
          } else if (Character.isLowSurrogate(c)) {
            out.append("\\ufffd");
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void appendUnicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xF])
        .append(HEX[(c >> 8) & 0xF])
        .append(HEX[(c >> 4) & 0xF])
        .append(HEX[c & 0xF]);
  }
}
