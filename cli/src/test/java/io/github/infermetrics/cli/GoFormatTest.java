package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks {@link GoFormat} against what Go's uint64 conversion and json.Marshal print (floats: FloatFormatsTest). */
class GoFormatTest {

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
}
