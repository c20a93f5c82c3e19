package io.github.infermetrics.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The table's number cells: the fast fixed-point path prints what {@code String.format} prints. */
class CellsTest {
  @Test
  void fixedPrintsWhatFormatPrints() {
    SplittableRandom random = new SplittableRandom(23);
    double[] special = {0, -0.0, 0.05, 0.15, 0.25, 0.125, 2.5, -2.5, -0.04, 0.45, 1.005, 99.95, 999.95, 1e9, 1e15,
        -1e20, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 4.35, 0.995};
    for (int decimals = 0; decimals <= 2; decimals++) {
      for (double v : special) {
        assertThat(Cells.fixed(v, decimals)).as("%s with %d decimals", v, decimals)
            .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
      }
      for (int i = 0; i < 200_000; i++) {
        // values as KPIs have them: a few significant digits, and full doubles of any scale
        double v = switch (i % 4) {
          case 0 -> Math.round(random.nextDouble(-2000, 2000) * 1000) / 1000.0;
          case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-6, 12));
          case 2 -> Math.round(random.nextDouble(0, 100) * 20) / 20.0;
          default -> -random.nextDouble() * 50;
        };
        assertThat(Cells.fixed(v, decimals)).as("%s with %d decimals", v, decimals)
            .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
      }
    }
  }
}
