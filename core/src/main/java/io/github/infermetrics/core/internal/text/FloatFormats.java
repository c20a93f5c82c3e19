package io.github.infermetrics.core.internal.text;

import java.nio.charset.StandardCharsets;

/**
 * A double as other programs print it, so that what we write reads byte for byte like theirs. Every layout takes the
 * shortest digits that parse back to the same double from {@link ShortestDecimal}, not from {@link
 * Double#toString(double)}: before JDK 19 that is sometimes a digit longer ({@code 5.6843418860808015E-14} for
 * 2^-44, where Go and Python print {@code 5.684341886080802e-14}), and from JDK 19 on it never has fewer than two
 * ({@code 4.9E-324} where they print {@code 5e-324}).
 */
public final class FloatFormats {
  private FloatFormats() {}

  /**
   * Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}, which is what {@code fmt.Sprint} prints for a {@code float64}:
   * plain when the first digit's decimal exponent is from -4 to 5 ({@code 0.0001}, {@code 123456}), otherwise with
   * an exponent of at least two digits ({@code 1e-05}, {@code 1.5e+06}, {@code 1e+100}); {@code NaN}, {@code +Inf},
   * {@code -Inf}, and {@code -0} for negative zero.
   *
   * @param v the value
   * @return the text Go prints for it
   */
  public static String go(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return negative(v) ? "-0" : "0";
    }
    Digits d = new Digits(v);
    StringBuilder out = sign(v);
    int exp = d.point - 1;
    if (exp < -4 || exp >= 6) { // Go's shortest %e/%f switch point is a precision of 6
      d.appendScientific(out, 2);
    } else {
      d.appendPlain(out);
    }
    return out.toString();
  }

  /**
   * Go's {@code encoding/json} for a {@code float64} (neuron-monitor is a Go program): plain from 1e-6 up to 1e21,
   * whole numbers without a point; otherwise with an exponent as short as it goes ({@code 8.893013000488281e-5},
   * {@code 1e+21}). Zero, negative or not, is {@code 0}.
   *
   * @param v a finite value
   * @return the text
   * @throws IllegalArgumentException when v is NaN or infinite, which JSON cannot represent
   */
  public static String goJson(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("JSON has no " + v);
    }
    if (v == 0) {
      return "0";
    }
    double abs = Math.abs(v);
    Digits d = new Digits(v);
    StringBuilder out = sign(v);
    if (abs < 1e-6 || abs >= 1e21) {
      d.appendScientific(out, 1);
    } else {
      d.appendPlain(out);
    }
    return out.toString();
  }

  /**
   * Python prometheus_client's {@code floatToGoString}: Python's {@code repr} ({@code 3.0}, {@code 0.25}, {@code
   * 1e-05}, {@code -0.0}), except that positive numbers with 7 to 16 integer digits switch to Go's exponent form,
   * which the client writes as {@code e+0} and the exponent ({@code 1.7181405583e+09}, {@code 1e+010}); {@code NaN},
   * {@code +Inf}, {@code -Inf}.
   *
   * @param v the value
   * @return the text prometheus_client writes for it
   */
  public static String pythonClient(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return negative(v) ? "-0.0" : "0.0";
    }
    Digits d = new Digits(v);
    int exp = d.point - 1;
    StringBuilder out = sign(v);
    if (v > 0 && exp >= 6 && exp < 16) {
      // the client's own code: Go switches to exponents sooner than Python, and it pads the exponent with one 0
      d.appendMantissa(out);
      out.append("e+0").append(exp);
    } else if (exp < -4 || exp >= 16) { // Python's repr is positional from 1e-4 up to 1e16
      d.appendScientific(out, 2);
    } else {
      d.appendPlain(out);
      if (d.point >= d.count) {
        out.append(".0"); // repr marks a whole float
      }
    }
    return out.toString();
  }

  /**
   * The shortest digits in plain notation, never an exponent, whole numbers without a point ({@code 0.005}, {@code
   * 12}, {@code 1000000000000000000000}): Rust's {@code Display} of an {@code f64}, and the form of Prometheus
   * {@code le} and {@code quantile} label values. Zero, negative or not, is {@code 0}.
   *
   * @param v a finite value
   * @return the text
   * @throws IllegalArgumentException when v is NaN or infinite
   */
  public static String plain(double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("no plain decimal for " + v);
    }
    if (v == 0) {
      return "0";
    }
    StringBuilder out = sign(v);
    new Digits(v).appendPlain(out);
    return out.toString();
  }

  /**
   * Java's {@link Double#toString(double)}, except that whole numbers below 1e15 in magnitude have no {@code .0}
   * ({@code 42}, {@code 0}, {@code 0.5}, {@code 1.0E-5}, {@code 1.0E15}, {@code NaN}, {@code Infinity}): how numbers
   * are spelled in Logs Insights queries and CloudWatch dashboards, and in the {@code le}/{@code quantile} tags of
   * the scraped-metrics binder. Java's digits, not the shortest: these outputs never promised another program's.
   *
   * @param v the value
   * @return the text
   */
  public static String wholeOrJava(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static boolean negative(double v) {
    return Double.doubleToRawLongBits(v) < 0;
  }

  private static StringBuilder sign(double v) {
    StringBuilder out = new StringBuilder(32);
    if (negative(v)) {
      out.append('-');
    }
    return out;
  }

  /** The shortest digits of a finite non-zero value: its magnitude is 0.{@code text} * 10^{@code point}. */
  private static final class Digits {
    final String text;
    final int count;
    final int point;

    Digits(double v) {
      byte[] buf = new byte[24];
      int r = ShortestDecimal.digits(v, buf, 0);
      count = ShortestDecimal.count(r);
      point = ShortestDecimal.point(r);
      text = new String(buf, 0, count, StandardCharsets.US_ASCII);
    }

    /** The mantissa, then {@code e}, the exponent's sign and at least {@code width} digits of its magnitude. */
    void appendScientific(StringBuilder out, int width) {
      appendMantissa(out);
      int exp = point - 1;
      out.append('e').append(exp < 0 ? '-' : '+');
      String magnitude = Integer.toString(Math.abs(exp));
      for (int i = magnitude.length(); i < width; i++) {
        out.append('0');
      }
      out.append(magnitude);
    }

    /** {@code d.ddd}, or just {@code d} for one digit. */
    void appendMantissa(StringBuilder out) {
      out.append(text.charAt(0));
      if (count > 1) {
        out.append('.').append(text, 1, count);
      }
    }

    /** Every digit without an exponent, a point only before a fraction: {@code 0.0015}, {@code 2.5}, {@code 1200}. */
    void appendPlain(StringBuilder out) {
      if (point <= 0) {
        out.append("0.");
        for (int i = point; i < 0; i++) {
          out.append('0');
        }
        out.append(text);
      } else if (point >= count) {
        out.append(text);
        for (int i = count; i < point; i++) {
          out.append('0');
        }
      } else {
        out.append(text, 0, point).append('.').append(text, point, count);
      }
    }
  }
}
