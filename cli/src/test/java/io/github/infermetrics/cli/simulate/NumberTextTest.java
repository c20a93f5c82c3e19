package io.github.infermetrics.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Number formats of the real servers; the expected strings are copied from the fixtures where they occur. */
class NumberTextTest {

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
    assertThat(NumberText.pythonClient(value)).isEqualTo(expected);
  }

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
    assertThat(NumberText.goJson(value)).isEqualTo(expected);
  }
}
