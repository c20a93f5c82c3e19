package io.github.infermetrics.core.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks each layout of {@link FloatFormats} against what the program it copies prints: Go's fmt.Sprint (the cases
 * of the cli's former GoFormatTest), prometheus_client and Go's encoding/json (the expected strings are copied from
 * the fixtures where they occur, as in the cli's NumberTextTest).
 */
class FloatFormatsTest {

  /** Values with the text Go's {@code fmt.Sprint(float64)} prints for them. */
  static Stream<Arguments> floats() {
    return Stream.of(
        // the examples prom2json output depends on
        Arguments.of(1e6, "1e+06"),
        Arguments.of(100000.0, "100000"),
        Arguments.of(123456.0, "123456"),
        Arguments.of(1234567.0, "1.234567e+06"),
        Arguments.of(0.001, "0.001"),
        Arguments.of(0.0001, "0.0001"),
        Arguments.of(0.00001, "1e-05"),
        Arguments.of(0.1 + 0.2, "0.30000000000000004"),
        Arguments.of(2.279966416e9, "2.279966416e+09"),
        Arguments.of(44.985611511, "44.985611511"),
        Arguments.of(7.6238e-05, "7.6238e-05"),
        Arguments.of(1.0, "1"),
        Arguments.of(0.0, "0"),
        Arguments.of(-0.0, "-0"),
        Arguments.of(9.03676723e+08, "9.03676723e+08"),
        Arguments.of(123456789.0, "1.23456789e+08"),
        Arguments.of(0.013300656000000001, "0.013300656000000001"),
        // special values
        Arguments.of(Double.NaN, "NaN"),
        Arguments.of(Double.POSITIVE_INFINITY, "+Inf"),
        Arguments.of(Double.NEGATIVE_INFINITY, "-Inf"),
        // extremes and subnormals
        Arguments.of(Double.MIN_VALUE, "5e-324"),
        Arguments.of(5e-324, "5e-324"),
        Arguments.of(-Double.MIN_VALUE, "-5e-324"),
        Arguments.of(100 * Double.MIN_VALUE, "4.94e-322"),
        Arguments.of(1e-320, "1e-320"),
        Arguments.of(1e-322, "1e-322"),
        Arguments.of(1.2e-310, "1.2e-310"),
        Arguments.of(Double.MIN_NORMAL, "2.2250738585072014e-308"),
        Arguments.of(Math.nextDown(Double.MIN_NORMAL), "2.225073858507201e-308"),
        Arguments.of(Double.MAX_VALUE, "1.7976931348623157e+308"),
        Arguments.of(-Double.MAX_VALUE, "-1.7976931348623157e+308"),
        // powers of ten: %e below 1e-4 and from 1e6 on
        Arguments.of(1e-10, "1e-10"),
        Arguments.of(1e-9, "1e-09"),
        Arguments.of(1e-8, "1e-08"),
        Arguments.of(1e-7, "1e-07"),
        Arguments.of(1e-6, "1e-06"),
        Arguments.of(1e-5, "1e-05"),
        Arguments.of(1e-4, "0.0001"),
        Arguments.of(1e-3, "0.001"),
        Arguments.of(1e-2, "0.01"),
        Arguments.of(1e-1, "0.1"),
        Arguments.of(1e0, "1"),
        Arguments.of(1e1, "10"),
        Arguments.of(1e2, "100"),
        Arguments.of(1e3, "1000"),
        Arguments.of(1e4, "10000"),
        Arguments.of(1e5, "100000"),
        Arguments.of(1e6, "1e+06"),
        Arguments.of(1e7, "1e+07"),
        Arguments.of(1e8, "1e+08"),
        Arguments.of(1e9, "1e+09"),
        Arguments.of(1e10, "1e+10"),
        Arguments.of(1e15, "1e+15"),
        Arguments.of(1e16, "1e+16"),
        Arguments.of(1e17, "1e+17"),
        Arguments.of(1e20, "1e+20"),
        Arguments.of(1e21, "1e+21"),
        Arguments.of(1e22, "1e+22"),
        Arguments.of(1e23, "1e+23"),
        Arguments.of(1e24, "1e+24"),
        Arguments.of(1e25, "1e+25"),
        Arguments.of(1e100, "1e+100"),
        Arguments.of(1e-100, "1e-100"),
        // values where Java 17's Double.toString is not the shortest (JDK-4511638)
        Arguments.of(2.0E-3, "0.002"),
        Arguments.of(1.0E23, "1e+23"),
        Arguments.of(2.82879384806159E17, "2.82879384806159e+17"),
        Arguments.of(8.41e21, "8.41e+21"),
        Arguments.of(1.0E-5, "1e-05"),
        // values that need 16 or 17 digits
        Arguments.of(1.0 / 3, "0.3333333333333333"),
        Arguments.of(2.0 / 3, "0.6666666666666666"),
        Arguments.of(0.1 + 0.7, "0.7999999999999999"),
        Arguments.of(Math.PI, "3.141592653589793"),
        Arguments.of(Math.E, "2.718281828459045"),
        Arguments.of(0x1p53, "9.007199254740992e+15"),
        Arguments.of(0x1p63, "9.223372036854776e+18"),
        Arguments.of(0x1p64, "1.8446744073709552e+19"),
        Arguments.of(12345678901234567890.0, "1.2345678901234567e+19"),
        Arguments.of(5.764607523034235e39, "5.764607523034235e+39"),
        // the %e / %f switch around exponents -5, -4, 5 and 6
        Arguments.of(999999.0, "999999"),
        Arguments.of(9999999.0, "9.999999e+06"),
        Arguments.of(123456.789, "123456.789"),
        Arguments.of(0.00015, "0.00015"),
        Arguments.of(9.5e-5, "9.5e-05"),
        Arguments.of(0.000012345, "1.2345e-05"),
        Arguments.of(3e-5, "3e-05"),
        Arguments.of(0.5, "0.5"),
        Arguments.of(4.35, "4.35"),
        Arguments.of(1.5e300, "1.5e+300"),
        // negative numbers
        Arguments.of(-1.0, "-1"),
        Arguments.of(-1.5, "-1.5"),
        Arguments.of(-1e-7, "-1e-07"),
        Arguments.of(-0.001, "-0.001"),
        Arguments.of(-123456.789, "-123456.789"),
        Arguments.of(-1234567.5, "-1.2345675e+06"),
        Arguments.of(-1e21, "-1e+21"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("floats")
  void goMatchesGo(double v, String expected) {
    assertThat(FloatFormats.go(v)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      // from the vLLM fixture (prometheus_client)
      "0, 0.0",
      "7431, 7431.0",
      "6634254336, 6.634254336e+09",
      "1048576, 1.048576e+06",
      "1718140558.3, 1.7181405583e+09",
      "10.950000000000001, 10.950000000000001",
      "0.31326723098754883, 0.31326723098754883",
      "7.358146831393242e-05, 7.358146831393242e-05",
      // Python repr switches to exponents below 1e-4 and from 1e16
      "0.0001, 0.0001",
      "1e16, 1e+16",
      // more than 6 integer digits: Go's form, with prometheus_client's literal 'e+0' before 10 and more
      "999999, 999999.0",
      "25000000000, 2.5e+010",
      "-1234567, -1234567.0",
      "Infinity, +Inf",
      "NaN, NaN"})
  void pythonClient(double value, String expected) {
    assertThat(FloatFormats.pythonClient(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "0.00047258, 0.00047258",
      "1.3631567613356375, 1.3631567613356375",
      // Go writes exponents only below 1e-6 and from 1e21, and without a leading zero in the exponent
      "8.893013000488281e-05, 0.00008893013000488281",
      "1.5e-7, 1.5e-7",
      "33110204416, 33110204416",
      "3, 3",
      "0, 0",
      "1e21, 1e+21"})
  void goJson(double value, String expected) {
    assertThat(FloatFormats.goJson(value)).isEqualTo(expected);
  }

  /**
   * The edges of every layout side by side: Go's fmt.Sprint, Go's encoding/json, prometheus_client, plain (null:
   * the layout refuses the value).
   */
  static Stream<Arguments> edges() {
    String tiny = "0." + "0".repeat(323) + "5";
    return Stream.of(
        Arguments.of(Double.NaN, "NaN", null, "NaN", null),
        Arguments.of(Double.POSITIVE_INFINITY, "+Inf", null, "+Inf", null),
        Arguments.of(Double.NEGATIVE_INFINITY, "-Inf", null, "-Inf", null),
        Arguments.of(0.0, "0", "0", "0.0", "0"),
        Arguments.of(-0.0, "-0", "0", "-0.0", "0"),
        Arguments.of(1e21, "1e+21", "1e+21", "1e+21", "1000000000000000000000"),
        Arguments.of(1e-7, "1e-07", "1e-7", "1e-07", "0.0000001"),
        Arguments.of(1e-5, "1e-05", "0.00001", "1e-05", "0.00001"),
        Arguments.of(1e6, "1e+06", "1000000", "1e+06", "1000000"),
        Arguments.of(-1234567.5, "-1.2345675e+06", "-1234567.5", "-1234567.5", "-1234567.5"),
        Arguments.of(0.1 + 0.2, "0.30000000000000004", "0.30000000000000004", "0.30000000000000004",
            "0.30000000000000004"),
        // subnormals: the smallest (shortest digits 5, where Double.toString says 4.9E-324), a negative one
        Arguments.of(Double.MIN_VALUE, "5e-324", "5e-324", "5e-324", tiny),
        Arguments.of(-1e-320, "-1e-320", "-1e-320", "-1e-320", "-0." + "0".repeat(319) + "1"),
        Arguments.of(Math.nextDown(Double.MIN_NORMAL), "2.225073858507201e-308", "2.225073858507201e-308",
            "2.225073858507201e-308", "0." + "0".repeat(307) + "2225073858507201"),
        // integers above 2^53, where not every integer is a double
        Arguments.of(0x1p53 + 2, "9.007199254740994e+15", "9007199254740994", "9.007199254740994e+015",
            "9007199254740994"),
        Arguments.of(-(0x1p53 + 2), "-9.007199254740994e+15", "-9007199254740994", "-9007199254740994.0",
            "-9007199254740994"),
        Arguments.of(0x1p63, "9.223372036854776e+18", "9223372036854776000", "9.223372036854776e+18",
            "9223372036854776000"),
        Arguments.of(1e16, "1e+16", "10000000000000000", "1e+16", "10000000000000000"),
        // where JDK 17's Double.toString is a digit longer than the shortest
        Arguments.of(0x1p-44, "5.684341886080802e-14", "5.684341886080802e-14", "5.684341886080802e-14",
            "0.00000000000005684341886080802"),
        Arguments.of(1e23, "1e+23", "1e+23", "1e+23", "100000000000000000000000"),
        Arguments.of(2.82879384806159E17, "2.82879384806159e+17", "282879384806159000", "2.82879384806159e+17",
            "282879384806159000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edges")
  void edgesOfEveryLayout(double v, String go, String goJson, String pythonClient, String plain) {
    assertThat(FloatFormats.go(v)).isEqualTo(go);
    assertThat(FloatFormats.pythonClient(v)).isEqualTo(pythonClient);
    if (goJson == null) {
      assertThatThrownBy(() -> FloatFormats.goJson(v)).isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(FloatFormats.goJson(v)).isEqualTo(goJson);
    }
    if (plain == null) {
      assertThatThrownBy(() -> FloatFormats.plain(v)).isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(FloatFormats.plain(v)).isEqualTo(plain);
    }
  }

  @ParameterizedTest
  @CsvSource({
      "42, 42", "-0.0, 0", "0.5, 0.5", "-2.5, -2.5", "1e-5, 1.0E-5", "1e-7, 1.0E-7", "999999999999999, 999999999999999",
      "1e15, 1.0E15", "1e21, 1.0E21", "9007199254740994, 9.007199254740994E15", "4.9e-324, 4.9E-324", "NaN, NaN",
      "Infinity, Infinity", "-Infinity, -Infinity"})
  void wholeOrJava(double value, String expected) {
    assertThat(FloatFormats.wholeOrJava(value)).isEqualTo(expected);
  }

  @Test
  void everyLayoutReadsBackAsTheSameDouble() {
    SplittableRandom random = new SplittableRandom(0x16L);
    for (int i = 0; i < 20_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v) || v == 0) {
        continue;
      }
      long bits = Double.doubleToRawLongBits(v);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(FloatFormats.goJson(v)))).as("%s", v).isEqualTo(bits);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(FloatFormats.plain(v)))).as("%s", v).isEqualTo(bits);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(FloatFormats.pythonClient(v)))).as("%s", v)
          .isEqualTo(bits);
    }
  }

  @Test
  void goRoundTripsWithShortestDigits() {
    SplittableRandom random = new SplittableRandom(20240607L);
    int checked = 0;
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v)) {
        continue;
      }
      String text = FloatFormats.go(v);
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
          .as("round trip of %s printed as %s", v, text)
          .isEqualTo(Double.doubleToRawLongBits(v));
      assertThat(significantDigits(text))
          .as("digits of %s printed as %s", v, text)
          .isLessThanOrEqualTo(significantDigits(Double.toString(v)))
          .isLessThanOrEqualTo(17);
      checked++;
    }
    assertThat(checked).isGreaterThan(99_000);
  }

  /** The number of significant digits of a decimal such as {@code -1.25e-07} or {@code 0.0020}. */
  private static int significantDigits(String text) {
    int e = text.toLowerCase(Locale.ROOT).indexOf('e');
    String mantissa = e < 0 ? text : text.substring(0, e);
    String digits = mantissa.replace("-", "").replace(".", "");
    int start = 0;
    while (start < digits.length() - 1 && digits.charAt(start) == '0') {
      start++;
    }
    int end = digits.length();
    while (end > start + 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return end - start;
  }
}
