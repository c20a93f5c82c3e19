package io.github.infermetrics.cli.simulate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How prometheus-cpp (Triton) prints a number, so the simulator's bytes look like its. The other servers' spellings
 * (Python's prometheus_client, Go's encoding/json, Rust) are core's {@code FloatFormats}; this one is not a shortest
 * form and only the simulator writes it.
 */
final class NumberText {
  private NumberText() {}

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
}
