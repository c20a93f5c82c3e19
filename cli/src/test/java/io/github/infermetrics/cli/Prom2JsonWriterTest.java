package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks {@link Prom2JsonWriter#formatUint} against what prom2json prints for counts. */
class Prom2JsonWriterTest {

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
    assertThat(Prom2JsonWriter.formatUint(v)).isEqualTo(expected);
  }
}
