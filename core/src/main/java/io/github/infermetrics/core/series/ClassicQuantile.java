package io.github.infermetrics.core.series;

import io.github.infermetrics.core.kpi.Bound;
import java.util.Optional;

/**
 * PromQL's {@code histogram_quantile} over the buckets of a classic histogram, on arrays it may reorder and
 * overwrite.
 */
final class ClassicQuantile {
  /**
   * Relative difference between neighbouring cumulative counts that PromQL treats as floating-point noise (one
   * trillionth of their sum).
   */
  static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private static final double MIN_NORMAL = Double.MIN_NORMAL;

  private ClassicQuantile() {}

  /**
   * The quantile; sorts, coalesces and fixes the arrays in place.
   *
   * @param q the quantile
   * @param bounds upper bounds, no NaN
   * @param counts cumulative counts, same length
   * @return the estimate
   */
  static double quantileInPlace(double q, double[] bounds, double[] counts) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    int n = bounds.length;
    if (n == 0) {
      return Double.NaN;
    }
    sortByBound(bounds, counts, n);
    if (bounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    n = coalesce(bounds, counts, n);
    makeMonotonic(counts, n);
    if (n < 2) {
      return Double.NaN;
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int b = firstAtLeast(counts, n - 1, rank);
    if (b == n - 1) {
      // in the +Inf bucket nothing bounds the value from above: the last finite bound is the best answer
      return bounds[n - 2];
    }
    if (b == 0 && bounds[0] <= 0) {
      // no natural lower bound below a non-positive first bucket
      return bounds[0];
    }
    double start = 0;
    double end = bounds[b];
    double count = counts[b];
    if (b > 0) {
      start = bounds[b - 1];
      count -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return start + (end - start) * (rank / count);
  }

  /**
   * Whether the quantile of these buckets is only bounded: it falls in the first bucket (which PromQL starts at 0,
   * or which has no lower bound at all) or in the {@code +Inf} bucket. Sorts, coalesces and fixes the arrays in
   * place, as {@link #quantileInPlace} does.
   *
   * @param q the quantile, 0 to 1
   * @param bounds upper bounds, no NaN
   * @param counts cumulative counts, same length
   * @return the bound, or empty when the value is interpolated between two finite bounds (or there is none)
   */
  static Optional<Bound> boundInPlace(double q, double[] bounds, double[] counts) {
    int n = bounds.length;
    if (!(q >= 0 && q <= 1) || n == 0) {
      return Optional.empty();
    }
    sortByBound(bounds, counts, n);
    if (bounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Optional.empty();
    }
    n = coalesce(bounds, counts, n);
    makeMonotonic(counts, n);
    if (n < 2 || counts[n - 1] == 0) {
      return Optional.empty();
    }
    int b = firstAtLeast(counts, n - 1, q * counts[n - 1]);
    if (b == n - 1) {
      return Optional.of(Bound.above(bounds[n - 2]));
    }
    return b == 0 ? Optional.of(Bound.atMost(bounds[0])) : Optional.empty();
  }

  /**
   * The share of observations at or below {@code threshold}: the cumulative count at the threshold over the
   * {@code +Inf} count, after the same sorting, merging and repair as {@link #quantileInPlace}; inside a bucket the
   * count grows linearly from its lower bound (0 for the first bucket), as {@code histogram_quantile} assumes.
   *
   * @return the fraction, or null without observations or without a {@code +Inf} bucket
   */
  static BucketFraction fractionInPlace(double threshold, double[] bounds, double[] counts) {
    int n = bounds.length;
    if (n == 0 || Double.isNaN(threshold)) {
      return null;
    }
    sortByBound(bounds, counts, n);
    if (bounds[n - 1] != Double.POSITIVE_INFINITY) {
      return null;
    }
    n = coalesce(bounds, counts, n);
    makeMonotonic(counts, n);
    double total = counts[n - 1];
    if (!(total > 0)) {
      return null;
    }
    for (int b = 0; b < n - 1; b++) {
      if (bounds[b] == threshold) {
        return new BucketFraction(counts[b] / total, BucketFraction.Precision.EXACT);
      }
      if (bounds[b] > threshold) {
        double lower = b == 0 ? Math.min(0, bounds[0]) : bounds[b - 1];
        double below = b == 0 ? 0 : counts[b - 1];
        if (threshold <= lower) {
          return new BucketFraction(below / total, b == 0 ? BucketFraction.Precision.EXACT
              : BucketFraction.Precision.INTERPOLATED);
        }
        double within = (counts[b] - below) * (threshold - lower) / (bounds[b] - lower);
        return new BucketFraction((below + within) / total, BucketFraction.Precision.INTERPOLATED);
      }
    }
    // beyond the last finite bound: what is in the +Inf bucket may or may not be under the threshold
    return new BucketFraction(counts[n - 2] / total, BucketFraction.Precision.AT_LEAST);
  }

  /**
   * The first index in {@code [0, limit)} whose count reaches {@code rank}, or {@code limit}: a binary search
   * probing the same indexes as Go's {@code sort.Search}, so inputs that are not monotonic (NaN counts) pick the
   * same bucket as PromQL does.
   */
  private static int firstAtLeast(double[] counts, int limit, double rank) {
    int lo = 0;
    int hi = limit;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (!(counts[mid] >= rank)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Stable insertion sort by bound; bucket lists are short and nearly always sorted already. */
  private static void sortByBound(double[] bounds, double[] counts, int n) {
    for (int i = 1; i < n; i++) {
      double b = bounds[i];
      double c = counts[i];
      int j = i - 1;
      while (j >= 0 && bounds[j] > b) {
        bounds[j + 1] = bounds[j];
        counts[j + 1] = counts[j];
        j--;
      }
      bounds[j + 1] = b;
      counts[j + 1] = c;
    }
  }

  /**
   * Merges buckets with the same bound (le="0.2" and le="2e-1" are one bucket to PromQL), adding their counts.
   *
   * @return the new number of buckets
   */
  private static int coalesce(double[] bounds, double[] counts, int n) {
    int out = 0;
    for (int i = 1; i < n; i++) {
      if (bounds[i] == bounds[out]) {
        counts[out] += counts[i];
      } else {
        out++;
        bounds[out] = bounds[i];
        counts[out] = counts[i];
      }
    }
    return out + 1;
  }

  /**
   * PromQL's repair of cumulative counts that do not increase: a difference to the last accepted count that is
   * within the tolerance is taken as rounding noise (in either direction), any other decrease is lifted to the
   * last accepted count. The last accepted count only moves on a real increase.
   */
  static void makeMonotonic(double[] counts, int n) {
    if (n == 0) {
      return;
    }
    double accepted = counts[0];
    for (int i = 1; i < n; i++) {
      double c = counts[i];
      if (c == accepted) {
        continue;
      }
      if (almostEqual(accepted, c, SMALL_DELTA_TOLERANCE) || c < accepted) {
        counts[i] = accepted;
        continue;
      }
      accepted = c;
    }
  }

  /** Whether two values differ by less than {@code epsilon} times their magnitude (both NaN counts as equal). */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      // relative error is meaningless next to zero: compare against the smallest normal number instead
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }
}
