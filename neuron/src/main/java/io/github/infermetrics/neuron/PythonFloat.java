package io.github.infermetrics.neuron;

import java.math.BigDecimal;

/**
 * Formats sample values the way the Python {@code prometheus_client} does (Python's shortest {@code repr}, then the
 * Go-style exponent for large positive numbers), so that our exposition reads like neuron-monitor-prometheus.py's:
 * {@code 0.0}, {@code 4.0}, {@code 1.6491081503838823e-12}, {@code 8.102633472e+09}.
 */
final class PythonFloat {
  private PythonFloat() {}

  static String format(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return (1 / d) < 0 ? "-0.0" : "0.0";
    }
    // shortest round-trip digits (Double.toString) and the exponent of the first one: d = D.IGITS × 10^exp
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale(); // exponent of the first digit
    String sign = d < 0 ? "-" : "";
    if (d > 0 && exp >= 6 && exp < 16) {
      // prometheus_client: Go switches to exponents sooner than Python (from 7 integer digits), always "e+0<exp>"
      String rest = digits.substring(1);
      return digits.charAt(0) + (rest.isEmpty() ? "" : "." + rest) + "e+0" + exp;
    }
    if (exp >= -4 && exp < 16) {
      return sign + positional(digits, exp); // Python repr is positional from 1e-4 up to 1e16
    }
    return sign + scientific(digits, exp);
  }

  private static String positional(String digits, int exp) {
    StringBuilder sb = new StringBuilder();
    if (exp < 0) {
      sb.append("0.");
      sb.append("0".repeat(-exp - 1)).append(digits);
      return sb.toString();
    }
    if (digits.length() <= exp + 1) {
      sb.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
    } else {
      sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
    }
    return sb.toString();
  }

  private static String scientific(String digits, int exp) {
    StringBuilder sb = new StringBuilder().append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int a = Math.abs(exp);
    if (a < 10) {
      sb.append('0');
    }
    return sb.append(a).toString();
  }
}
