package io.github.infermetrics.cli.simulate;

import java.util.Arrays;
import java.util.Random;

/** Random draws the simulators share. */
final class Sampling {
  private Sampling() {}

  /** A Poisson count with the given mean: exact (Knuth) up to 30, a rounded normal beyond. */
  static int poisson(Random random, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 30) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  /** A GPU-style uuid, {@code GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
  static String gpuUuid(Random random) {
    String hex = String.format(java.util.Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
    return "GPU-" + hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
        + hex.substring(16, 20) + "-" + hex.substring(20, 32);
  }

  /** The q-quantile of sorted values (nearest rank), NaN when there are none. */
  static double quantile(double[] sorted, int n, double q) {
    if (n == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))];
  }

  /** Sorts the first n values in place and returns the array. */
  static double[] sorted(double[] values, int n) {
    Arrays.sort(values, 0, n);
    return values;
  }
}
