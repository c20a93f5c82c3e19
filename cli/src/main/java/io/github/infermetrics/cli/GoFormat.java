package io.github.infermetrics.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formatting helpers that reproduce, byte for byte, what the Go tool prom2json prints: numbers as
 * Go's {@code fmt.Sprint} prints a {@code float64} or a {@code uint64}, and strings as Go's {@code
 * encoding/json} {@code json.Marshal} escapes them.
 */
final class GoFormat {

  /** Go's {@code %e}/{@code %f} switch point for the shortest {@code 'g'} format. */
  private static final int SHORTEST_EPREC = 6;

  /** 2^64, the first value a {@code uint64} cannot hold. */
  private static final double TWO_POW_64 = 0x1p64;

  /** Significant digits that always identify a double. */
  private static final int MAX_DIGITS = 17;

  /** Significant digits of a double's exact value kept by {@link #stickyDigits}. */
  private static final int KEPT_DIGITS = 20;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoFormat() {}

  /**
   * Formats {@code v} exactly as Go's {@code fmt.Sprint(v)} does for a {@code float64}, which is
   * {@code strconv.FormatFloat(v, 'g', -1, 64)}.
   *
   * <p>The digits are the shortest decimal that parses back to exactly {@code v}; when several
   * candidates of that length parse back, the one closest to the exact binary value is taken (what
   * Go's Ryu-based shortest conversion yields). The layout follows Go's {@code formatDigits} for
   * the shortest {@code 'g'} format: with the decimal exponent {@code exp} of the first digit,
   * {@code %e} form is used when {@code exp < -4 || exp >= 6}, the {@code %f} form otherwise. The
   * {@code %e} form has at least two exponent digits ({@code 1e+06}, {@code 1.5e-07}, {@code
   * 1e+100}). Special values print as {@code NaN}, {@code +Inf} and {@code -Inf}; negative zero
   * prints as {@code -0}.
   *
   * <p>Java 17's {@link Double#toString(double)} is not always the shortest (JDK-4511638), so it is
   * not used: the digits are found with {@link BigDecimal} arithmetic instead.
   *
   * @param v the value
   * @return the text Go prints for it
   */
  static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = (Double.doubleToRawLongBits(v) & Long.MIN_VALUE) != 0;
    if (v == 0) {
      return neg ? "-0" : "0";
    }
    double abs = Math.abs(v);
    BigDecimal shortest = shortestDigits(abs).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int nd = digits.length();
    // value = 0.d1 d2 ... dn * 10^dp, as in Go's decimalSlice
    int dp = nd - shortest.scale();

    StringBuilder out = new StringBuilder(32);
    if (neg) {
      out.append('-');
    }
    int exp = dp - 1;
    if (exp < -4 || exp >= SHORTEST_EPREC) {
      appendE(out, digits, exp);
    } else {
      appendF(out, digits, dp);
    }
    return out.toString();
  }

  /**
   * Formats a summary or histogram count the way prom2json prints it: Go converts the {@code
   * float64} count to {@code uint64} (truncating toward zero) and prints that integer.
   *
   * <p>For finite {@code v} with {@code -1 < v < 2^64} the result is the truncated integer in
   * decimal, exact even beyond {@link Long#MAX_VALUE} (so {@code 1.8e19} prints as {@code
   * 18000000000000000000}); a value in {@code (-1, 0]} truncates to {@code 0}, which Go defines
   * too. For every other value (at most {@code -1}, NaN, infinite, or at least {@code 2^64}) Go's
   * conversion is implementation-dependent; it is deliberately not reproduced, and the value is
   * printed with {@link #formatFloat(double)} instead.
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
    return formatFloat(v);
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

  /**
   * The shortest decimal that parses back to {@code abs} (positive and finite), the one closest to
   * its exact value when two of that length do.
   */
  private static BigDecimal shortestDigits(double abs) {
    BigDecimal exact = stickyDigits(new BigDecimal(abs));
    for (int p = 1; p < MAX_DIGITS; p++) {
      BigDecimal c = candidate(exact, abs, p);
      if (c != null) {
        return c;
      }
    }
    BigDecimal c = candidate(exact, abs, MAX_DIGITS);
    // 17 significant digits always identify a double, so c is never null
    return c != null ? c : exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN));
  }

  /**
   * Of {@code exact} rounded to {@code p} significant digits down and up, the one that parses back
   * to {@code abs}, the closer one when both do, or {@code null} when neither does.
   */
  private static BigDecimal candidate(BigDecimal exact, double abs, int p) {
    BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
    BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
    boolean downOk = down.doubleValue() == abs;
    boolean upOk = up.doubleValue() == abs;
    if (downOk && upOk) {
      int cmp = exact.subtract(down).compareTo(up.subtract(exact));
      if (cmp != 0) {
        return cmp < 0 ? down : up;
      }
      // an exact tie (not reachable for binary doubles, kept for completeness): even last digit
      return down.unscaledValue().testBit(0) ? up : down;
    }
    if (downOk) {
      return down;
    }
    return upOk ? up : null;
  }

  /**
   * Cuts the exact value of a double (up to 767 significant digits) to {@value #KEPT_DIGITS}
   * digits plus one sticky digit {@code 1} standing for whatever non-zero digits were cut. Rounding
   * that to at most 17 digits, down or up, gives the same as rounding the exact value, and it lies
   * on the same side of every 18-digit midpoint, so it is compared with the candidates the same
   * way; it only makes the arithmetic cheap.
   */
  private static BigDecimal stickyDigits(BigDecimal exact) {
    if (exact.precision() <= KEPT_DIGITS) {
      return exact;
    }
    BigDecimal kept = exact.round(new MathContext(KEPT_DIGITS, RoundingMode.DOWN));
    if (kept.compareTo(exact) == 0) {
      return kept;
    }
    return new BigDecimal(
        kept.unscaledValue().multiply(BigInteger.TEN).add(BigInteger.ONE), kept.scale() + 1);
  }

  /** Go's {@code fmtE} with all digits: {@code d.ddde±XX}. */
  private static void appendE(StringBuilder out, String digits, int exp) {
    out.append(digits.charAt(0));
    if (digits.length() > 1) {
      out.append('.').append(digits, 1, digits.length());
    }
    out.append('e').append(exp < 0 ? '-' : '+');
    int e = Math.abs(exp);
    if (e < 10) {
      out.append('0');
    }
    out.append(e);
  }

  /** Go's {@code fmtF} with precision {@code max(nd - dp, 0)}. */
  private static void appendF(StringBuilder out, String digits, int dp) {
    int nd = digits.length();
    if (dp > 0) {
      int m = Math.min(nd, dp);
      out.append(digits, 0, m);
      for (int i = m; i < dp; i++) {
        out.append('0');
      }
    } else {
      out.append('0');
    }
    int prec = Math.max(nd - dp, 0);
    if (prec > 0) {
      out.append('.');
      for (int i = 1; i <= prec; i++) {
        int j = dp + i - 1;
        out.append(j >= 0 && j < nd ? digits.charAt(j) : '0');
      }
    }
  }
}
