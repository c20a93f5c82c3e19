package io.github.infermetrics.cli.simulate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** How each real server prints a number, so the simulators' bytes look like theirs. */
final class NumberText {
  private NumberText() {}

  /**
   * Python prometheus_client's {@code floatToGoString}: Python's {@code repr} ({@code 3.0}, {@code 0.25},
   * {@code 1e-05}), except that positive numbers with more than 6 integer digits switch to Go's exponent form
   * ({@code 1.7181405583e+09}); the client writes {@code e+0} before the exponent, so 10 digits and more come out as
   * {@code e+010} as in the real output.
   */
  static String pythonClient(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    String repr = pythonRepr(d);
    int dot = repr.indexOf('.');
    if (d > 0 && dot > 6) {
      String mantissa = stripRight(repr.charAt(0) + "." + repr.substring(1, dot) + repr.substring(dot + 1));
      return mantissa + "e+0" + (dot - 1);
    }
    return repr;
  }

  /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
  static String pythonRepr(double d) {
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    String sign = d < 0 ? "-" : "";
    if (exp < -4 || exp >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    if (exp < 0) {
      return sign + "0." + "0".repeat(-exp - 1) + digits;
    }
    if (digits.length() <= exp + 1) {
      return sign + digits + "0".repeat(exp + 1 - digits.length()) + ".0";
    }
    return sign + digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
  }

  /**
   * prometheus-cpp's text serializer: {@code %.16g} (integers without a decimal point, {@code 32.09},
   * {@code 4879631.328000044}), {@code Nan}, {@code +Inf}, {@code -Inf}.
   */
  static String prometheusCpp(double d) {
    if (Double.isNaN(d)) {
      return "Nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0" : "0";
    }
    BigDecimal bd = new BigDecimal(d).round(new MathContext(16, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale();
    String sign = d < 0 ? "-" : "";
    if (exp < -4 || exp >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    return sign + bd.abs().toPlainString();
  }

  /**
   * Go's {@code encoding/json} for a float64 (neuron-monitor is a Go program): shortest digits, plain between
   * 1e-6 and 1e21, otherwise {@code 8.893013000488281e-5}; whole numbers without a decimal point.
   */
  static String goJson(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("JSON has no " + d);
    }
    if (d == 0) {
      return "0";
    }
    double abs = Math.abs(d);
    BigDecimal bd = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
    String sign = d < 0 ? "-" : "";
    if (abs < 1e-6 || abs >= 1e21) {
      String digits = bd.unscaledValue().toString();
      int exp = digits.length() - 1 - bd.scale();
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + Math.abs(exp);
    }
    return sign + bd.toPlainString();
  }

  private static String stripRight(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '0' || s.charAt(end - 1) == '.')) {
      end--;
    }
    return s.substring(0, end);
  }
}
