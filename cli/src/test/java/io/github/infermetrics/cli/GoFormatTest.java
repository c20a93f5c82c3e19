package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks {@link GoFormat} against what Go's fmt.Sprint and json.Marshal print. */
class GoFormatTest {

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
  void formatFloatMatchesGo(double v, String expected) {
    assertThat(GoFormat.formatFloat(v)).isEqualTo(expected);
  }

  /** Counts with the text prom2json prints for them (Go's uint64 conversion where defined). */
  static Stream<Arguments> uints() {
    return Stream.of(
        Arguments.of(0.0, "0"),
        Arguments.of(-0.0, "0"),
        Arguments.of(1.0, "1"),
        Arguments.of(42.9, "42"),
        Arguments.of(0.7, "0"),
        Arguments.of(-0.5, "0"),
        Arguments.of(1e6, "1000000"),
        Arguments.of(123456789.0, "123456789"),
        Arguments.of(0x1p53, "9007199254740992"),
        Arguments.of(0x1p63, "9223372036854775808"),
        Arguments.of(1.8e19, "18000000000000000000"),
        Arguments.of(Math.nextDown(0x1p64), "18446744073709549568"),
        // outside what a uint64 holds: printed as a float instead of Go's undefined result
        Arguments.of(0x1p64, "1.8446744073709552e+19"),
        Arguments.of(1e20, "1e+20"),
        Arguments.of(-1.0, "-1"),
        Arguments.of(-2.5, "-2.5"),
        Arguments.of(Double.NaN, "NaN"),
        Arguments.of(Double.POSITIVE_INFINITY, "+Inf"),
        Arguments.of(Double.NEGATIVE_INFINITY, "-Inf"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("uints")
  void formatUintMatchesGoConversion(double v, String expected) {
    assertThat(GoFormat.formatUint(v)).isEqualTo(expected);
  }

  /** Strings with the JSON text Go's json.Marshal writes for them. */
  static Stream<Arguments> jsonStrings() {
    return Stream.of(
        Arguments.of("", "\"\""),
        Arguments.of("abc", "\"abc\""),
        Arguments.of("a\"b", "\"a\\\"b\""),
        Arguments.of("a\\b", "\"a\\\\b\""),
        Arguments.of("a\nb", "\"a\\nb\""),
        Arguments.of("a\rb", "\"a\\rb\""),
        Arguments.of("a\tb", "\"a\\tb\""),
        Arguments.of("a\bb", "\"a\\bb\""),
        Arguments.of("a\fb", "\"a\\fb\""),
        Arguments.of("\0", "\"\\u0000\""),
        Arguments.of("\u0001", "\"\\u0001\""),
        Arguments.of("\u000b", "\"\\u000b\""),
        Arguments.of("\u001b[0m", "\"\\u001b[0m\""),
        Arguments.of("\u001f", "\"\\u001f\""),
        Arguments.of("<", "\"\\u003c\""),
        Arguments.of(">", "\"\\u003e\""),
        Arguments.of("&", "\"\\u0026\""),
        Arguments.of(
            "<a href=\"x\">&</a>", "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\""),
        Arguments.of("\u2028", "\"\\u2028\""),
        Arguments.of("\u2029", "\"\\u2029\""),
        Arguments.of("line\u2028sep\u2029", "\"line\\u2028sep\\u2029\""),
        // written as they are
        Arguments.of(" ", "\" \""),
        Arguments.of("/", "\"/\""),
        Arguments.of("'", "\"'\""),
        Arguments.of("\u007f", "\"\u007f\""),
        Arguments.of("\u0085", "\"\u0085\""),
        Arguments.of("caf\u00e9 \u65e5\u672c", "\"caf\u00e9 \u65e5\u672c\""),
        Arguments.of("\ufffd", "\"\ufffd\""),
        Arguments.of("\ufeff", "\"\ufeff\""),
        Arguments.of("model=\"llama\",le=\"0.5\"", "\"model=\\\"llama\\\",le=\\\"0.5\\\"\""),
        // a surrogate pair (an emoji) is kept, an unpaired surrogate becomes U+FFFD escaped
        Arguments.of("\uD83D\uDE00", "\"\uD83D\uDE00\""),
        Arguments.of("x\uD83D\uDE00y", "\"x\uD83D\uDE00y\""),
        Arguments.of("\uD83D", "\"\\ufffd\""),
        Arguments.of("\uD83Dx", "\"\\ufffdx\""),
        Arguments.of("\uDE00", "\"\\ufffd\""),
        Arguments.of("\uDE00\uD83D", "\"\\ufffd\\ufffd\""),
        Arguments.of("\uD83D\uD83D\uDE00", "\"\\ufffd\uD83D\uDE00\""));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("jsonStrings")
  void appendJsonStringMatchesGo(String s, String expected) {
    StringBuilder out = new StringBuilder();
    GoFormat.appendJsonString(out, s);
    assertThat(out.toString()).isEqualTo(expected);
  }

  @Test
  void appendJsonStringAppendsToWhatIsThere() {
    StringBuilder out = new StringBuilder("{\"k\":");
    GoFormat.appendJsonString(out, "v<");
    assertThat(out.append('}').toString()).isEqualTo("{\"k\":\"v\\u003c\"}");
  }

  @Test
  void formatFloatRoundTripsWithShortestDigits() {
    SplittableRandom random = new SplittableRandom(20240607L);
    int checked = 0;
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(v)) {
        continue;
      }
      String text = GoFormat.formatFloat(v);
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
