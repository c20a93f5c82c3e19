package io.github.infermetrics.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The report's exact numbers: plain decimals that read back as the same double. */
class FiguresTest {
  @ParameterizedTest
  @CsvSource({"0.0812, 0.0812", "12, 12", "4e-6, 0.000004", "-0.5, -0.5", "1e15, 1000000000000000",
      "2.5e-7, 0.00000025", "123456.789, 123456.789"})
  void exactIsAPlainDecimalWithoutTrailingZeros(double v, String expected) {
    assertThat(Figures.exact(v)).isEqualTo(expected);
    assertThat(Double.parseDouble(Figures.exact(v))).isEqualTo(v);
  }
}
