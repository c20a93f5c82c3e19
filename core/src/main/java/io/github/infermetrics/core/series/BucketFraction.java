package io.github.infermetrics.core.series;

import java.util.Objects;

/**
 * The share of a histogram's observations at or below a threshold ({@link BucketCounts#fractionAtMost}), and how
 * precise it is: exact when the threshold is a bucket bound, interpolated inside a bucket (the linear assumption of
 * {@code histogram_quantile}), or only a lower bound when the threshold is above the last finite bucket bound.
 *
 * @param value from 0 to 1
 * @param precision how it was found
 */
public record BucketFraction(double value, Precision precision) {
  /** How a fraction was found. */
  public enum Precision {
    /** The threshold is a bucket bound: the cumulative count there, exactly. */
    EXACT,
    /** The threshold lies inside a bucket: interpolated linearly within it. */
    INTERPOLATED,
    /** The threshold is above the last finite bound: at least this much (the {@code +Inf} bucket is unknown). */
    AT_LEAST
  }

  /**
   * Validates.
   *
   * @param value 0 to 1
   * @param precision how it was found
   */
  public BucketFraction {
    Objects.requireNonNull(precision, "precision");
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("a fraction is 0 to 1: " + value);
    }
  }
}
