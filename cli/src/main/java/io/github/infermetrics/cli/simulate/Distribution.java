package io.github.infermetrics.cli.simulate;

import java.util.Random;

/**
 * A distribution of non-negative values (seconds, tokens) that a simulator samples with its own seeded
 * {@link Random}, so a run is reproducible from its seed.
 *
 * <pre>{@code
 * Distribution ttft = Distribution.logNormal(0.08, 0.3);  // median 80 ms, a realistic right tail
 * Distribution outputTokens = Distribution.uniform(16, 256);
 * }</pre>
 *
 * @since 0.1.0
 */
public sealed interface Distribution permits Distribution.Fixed, Distribution.Uniform, Distribution.LogNormal {

  /**
   * Draws one value.
   *
   * @param random the source of randomness
   * @return a value, never negative
   */
  double sample(Random random);

  /**
   * The mean of the distribution.
   *
   * @return the mean
   */
  double mean();

  /**
   * Always {@code value}.
   *
   * @param value the value, finite and not negative
   * @return the distribution
   * @throws IllegalArgumentException when the value is negative or not finite
   */
  static Distribution fixed(double value) {
    return new Fixed(value);
  }

  /**
   * Uniform between {@code min} and {@code max}.
   *
   * @param min the smallest value, finite and not negative
   * @param max the largest value, at least {@code min}
   * @return the distribution
   * @throws IllegalArgumentException when a bound is negative or not finite, or {@code max < min}
   */
  static Distribution uniform(double min, double max) {
    return new Uniform(min, max);
  }

  /**
   * Log-normal with the given median and shape: latencies have this long right tail.
   *
   * @param median the median, finite and positive
   * @param sigma the standard deviation of the logarithm, finite and not negative (0: always the median)
   * @return the distribution
   * @throws IllegalArgumentException when the median is not positive or sigma negative, or either not finite
   */
  static Distribution logNormal(double median, double sigma) {
    return new LogNormal(median, sigma);
  }

  /**
   * Always the same value.
   *
   * @param value the value
   */
  record Fixed(double value) implements Distribution {
    /** Validates. */
    public Fixed {
      check("value", value, value >= 0);
    }

    @Override
    public double sample(Random random) {
      return value;
    }

    @Override
    public double mean() {
      return value;
    }
  }

  /**
   * Uniform between two bounds.
   *
   * @param min the smallest value
   * @param max the largest value
   */
  record Uniform(double min, double max) implements Distribution {
    /** Validates. */
    public Uniform {
      check("min", min, min >= 0);
      check("max", max, max >= min);
    }

    @Override
    public double sample(Random random) {
      return min + (max - min) * random.nextDouble();
    }

    @Override
    public double mean() {
      return (min + max) / 2;
    }
  }

  /**
   * Log-normal: {@code median * exp(sigma * N(0,1))}.
   *
   * @param median the median
   * @param sigma the standard deviation of the logarithm
   */
  record LogNormal(double median, double sigma) implements Distribution {
    /** Validates. */
    public LogNormal {
      check("median", median, median > 0);
      check("sigma", sigma, sigma >= 0);
    }

    @Override
    public double sample(Random random) {
      return median * Math.exp(sigma * random.nextGaussian());
    }

    @Override
    public double mean() {
      return median * Math.exp(sigma * sigma / 2);
    }
  }

  private static void check(String field, double value, boolean ok) {
    if (!Double.isFinite(value) || !ok) {
      throw new IllegalArgumentException(field + ": invalid value " + value);
    }
  }
}
