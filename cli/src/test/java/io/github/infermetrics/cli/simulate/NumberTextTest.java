package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * prometheus-cpp's number format; the expected strings are copied from the fixture. (prometheus_client's and Go's
 * encoding/json's: core's FloatFormatsTest.)
 */
class NumberTextTest {

  @ParameterizedTest
  @CsvSource({
      // from the Triton fixture (prometheus-cpp)
      "3, 3",
      "1327965, 1327965",
      "4879631.328000044, 4879631.328000044",
      "32.09, 32.09",
      "16106127360, 16106127360",
      "0.0001220703125, 0.0001220703125",
      "0, 0",
      // %.16g: exponent form below 1e-4 and from 1e16
      "0.00001, 1e-05",
      "1e16, 1e+16",
      "NaN, Nan",
      "-Infinity, -Inf"})
  void prometheusCpp(double value, String expected) {
    assertThat(NumberText.prometheusCpp(value)).isEqualTo(expected);
  }
}
