package io.github.infermetrics.core.series;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The buckets of a classic histogram as PromQL's {@code histogram_quantile} sees them: cumulative counts by upper
 * bound, plus the observation count and sum. One holds either the increase of a histogram between two scrapes,
 * or its current state (for gauge histograms), or a sum over series ({@link Grouping#sumHistograms}).
 *
 * <pre>{@code
 * HistogramPoint before = ...;   // request_latency_seconds{model="qwen3"} at the previous scrape
 * HistogramPoint now = ...;      // the same series now
 * BucketCounts window = BucketCounts.increase(before, now);
 * double p99 = window.quantile(0.99);            // seconds; NaN when nothing was observed in between
 * OptionalDouble mean = window.mean();           // Δsum / Δcount; empty when nothing was observed
 * double perSecond = window.count() / 15.0;      // requests per second over a 15 s scrape interval
 * }</pre>
 *
 * <p><b>How this matches PromQL.</b> In PromQL a classic histogram is a set of independent counters, one per
 * {@code le} plus {@code _count} and {@code _sum}. {@link #increase} therefore subtracts bucket by bucket with the
 * counter rule of {@link Rates#increase} (a bucket that went down restarted from zero), and keeps only the bounds
 * present in both scrapes (a bucket series that exists in one scrape only has no increase). That holds after a
 * restart of the serving process too, where PromQL's per-bucket rule undercounts a bucket that had already grown
 * past its old count again; we give PromQL's answer so that the numbers agree with dashboards, and flag the window
 * with {@link #reset()} so that a caller can distrust it. {@code BucketCounts.increase(p, c).quantile(q)} equals
 *
 * <ul>
 *   <li>{@code histogram_quantile(q, irate(x_bucket[w]))} when {@code p} and {@code c} are the last two samples in
 *       {@code w} (irate divides every bucket by the same interval, which the quantile does not see), up to
 *       floating-point rounding;
 *   <li>{@code histogram_quantile(q, increase(x_bucket[w]))} and {@code rate(...)} only when the extrapolation
 *       scales every bucket by the same factor, again up to rounding. It does when the samples sit on the range
 *       boundaries (Prometheus 2 with {@code w} equal to the scrape interval: the factor is 1). In Prometheus 3
 *       the range is left-open, so {@code w} must exceed the scrape interval to hold both scrapes, and the
 *       increase is extrapolated over the excess; the factor is the same for buckets scraped together
 *       <em>unless</em> the stop-at-zero rule cuts the extrapolation short for some buckets (those whose count
 *       before was small relative to their increase, such as buckets that were empty). Then buckets are scaled
 *       differently and the quantile moves. {@link #extrapolatedIncrease} reproduces that exactly.
 * </ul>
 *
 * <p>The counts may be non-monotonic (a bucket that was reset alone, a sum over series with different buckets);
 * {@link #quantile(double)} repairs them as PromQL does. Immutable.
 */
public final class BucketCounts {
  private final double[] upperBounds;
  private final double[] counts;
  private final double count;
  private final double sum;
  private final boolean reset;

  BucketCounts(double[] upperBounds, double[] counts, double count, double sum, boolean reset) {
    this.upperBounds = upperBounds;
    this.counts = counts;
    this.count = count;
    this.sum = sum;
    this.reset = reset;
  }

  /**
   * The current state of a histogram: its cumulative counts, count and sum as they are (for gauge histograms,
   * or for the totals since the process started).
   *
   * @param point the histogram
   * @return its buckets
   */
  public static BucketCounts of(HistogramPoint point) {
    return new BucketCounts(point.upperBounds(), point.cumulativeCounts(), point.count(), point.sum(), false);
  }

  /**
   * The increase of a histogram between two scrapes of the same series, bucket by bucket, with PromQL's counter
   * reset rule applied to each bucket, {@code _count} and {@code _sum} on its own.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @return the increase: the bounds present in both scrapes, count and sum increases (NaN when either scrape
   *     lacks {@code _count} or {@code _sum})
   */
  public static BucketCounts increase(HistogramPoint previous, HistogramPoint current) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    return perBucket(previous, current, Rates::increase);
  }

  /**
   * What PromQL's {@code increase(x_bucket[w])} (and {@code _count}, {@code _sum}) gives per bucket when the range
   * selects exactly these two scrapes: {@link Rates#extrapolatedIncrease(double, long, double, long, long, long)}
   * applied to each bucket. {@code histogram_quantile(q, increase(x_bucket[w]))} and
   * {@code histogram_quantile(q, rate(x_bucket[w]))} equal {@code quantile(q)} of the result. Resets are handled
   * per bucket, as in {@link #increase}.
   *
   * @param previous the earlier scrape
   * @param previousMillis its timestamp
   * @param current the later scrape
   * @param currentMillis its timestamp
   * @param rangeStartMillis the range start, {@code t - w} (exclusive in Prometheus 3)
   * @param rangeEndMillis the range end, the evaluation time {@code t}
   * @return the extrapolated increases
   * @throws IllegalArgumentException when the timestamps are not increasing or lie outside the range
   */
  public static BucketCounts extrapolatedIncrease(HistogramPoint previous, long previousMillis,
      HistogramPoint current, long currentMillis, long rangeStartMillis, long rangeEndMillis) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    return perBucket(previous, current, (p, c) -> Rates.extrapolateTwo(p, previousMillis, c, currentMillis,
        rangeStartMillis, rangeEndMillis, false));
  }

  /**
   * Applies {@code increase} to each bound present in both scrapes (a bound only one scrape has is dropped, as
   * PromQL's per-series matching would), and to the count and the sum.
   */
  private static BucketCounts perBucket(HistogramPoint previous, HistogramPoint current,
      java.util.function.DoubleBinaryOperator increase) {
    boolean reset = previous.count() > current.count();
    int pn = previous.bucketCount();
    int cn = current.bucketCount();
    double[] bounds = new double[Math.min(pn, cn)];
    double[] values = new double[bounds.length];
    int n = 0;
    for (int i = 0, j = 0; i < pn && j < cn; ) {
      double pb = previous.upperBound(i);
      double cb = current.upperBound(j);
      if (pb < cb) {
        i++;
      } else if (cb < pb) {
        j++;
      } else {
        bounds[n] = cb;
        double before = previous.cumulativeCount(i);
        double after = current.cumulativeCount(j);
        reset |= after < before;
        values[n] = increase.applyAsDouble(before, after);
        n++;
        i++;
        j++;
      }
    }
    return new BucketCounts(Arrays.copyOf(bounds, n), Arrays.copyOf(values, n),
        increase.applyAsDouble(previous.count(), current.count()),
        increase.applyAsDouble(previous.sum(), current.sum()), reset);
  }


  /**
   * PromQL {@code histogram_quantile(q, b)} over the buckets of one classic histogram (one label set, its
   * {@code le} values and their cumulative counts). The inputs are not modified.
   *
   * <ul>
   *   <li>{@code q} NaN: NaN; {@code q < 0}: -Inf; {@code q > 1}: +Inf (even without buckets);
   *   <li>no {@code +Inf} bucket, fewer than two buckets (after merging equal bounds), or zero observations: NaN;
   *   <li>buckets may come in any order; buckets with the same bound are merged by adding their counts;
   *   <li>counts that decrease are repaired: differences within 1e-12 of the counts' sum are ignored in either
   *       direction, larger decreases are raised to the count before;
   *   <li>the quantile's rank is {@code q} times the {@code +Inf} count; within its bucket the value is
   *       interpolated linearly, the first bucket starting at 0 when its bound is positive; a quantile in the
   *       first bucket whose bound is 0 or negative is that bound; a quantile in the {@code +Inf} bucket is the
   *       largest finite bound.
   * </ul>
   *
   * @param q the quantile, 0 to 1
   * @param upperBounds the buckets' upper bounds ({@code le}), not NaN
   * @param cumulativeCounts the buckets' cumulative counts
   * @return the estimate
   * @throws IllegalArgumentException when the arrays differ in length or a bound is NaN
   */
  public static double quantile(double q, double[] upperBounds, double[] cumulativeCounts) {
    if (upperBounds.length != cumulativeCounts.length) {
      throw new IllegalArgumentException(upperBounds.length + " bounds but " + cumulativeCounts.length
          + " counts");
    }
    for (double b : upperBounds) {
      if (Double.isNaN(b)) {
        throw new IllegalArgumentException("bucket upper bound is NaN");
      }
    }
    return ClassicQuantile.quantileInPlace(q, upperBounds.clone(), cumulativeCounts.clone());
  }

  /**
   * {@link #quantile(double, double[], double[])} of these buckets.
   *
   * @param q the quantile, 0 to 1
   * @return the estimate; NaN when there were no observations
   */
  public double quantile(double q) {
    return ClassicQuantile.quantileInPlace(q, upperBounds.clone(), counts.clone());
  }

  /**
   * Whether {@link #quantile(double) quantile(q)} is only a bound: the quantile falls in the first bucket (PromQL
   * interpolates from 0 up to its bound, so the true value is only known to be at most that bound) or in the
   * {@code +Inf} bucket (PromQL returns the largest finite bound; the true value is above it).
   *
   * <pre>{@code
   * // Triton's first-response buckets start at le="100" (ms): a p95 that falls there is "at most 100 ms"
   * window.quantileBound(0.95);   // Optional[Bound[side=UPPER, limit=100.0]]
   * }</pre>
   *
   * @param q the quantile, 0 to 1
   * @return the bound, or empty when the quantile is interpolated between two finite bounds or there is none
   */
  public Optional<Bound> quantileBound(double q) {
    return ClassicQuantile.boundInPlace(q, upperBounds.clone(), counts.clone());
  }

  /**
   * The share of the observations at or below a threshold, as {@code sum(rate(x_bucket{le="T"})) / sum(rate(
   * x_count))} gives it when {@code T} is a bucket bound; between bounds it is interpolated linearly within the
   * bucket (flagged {@link BucketFraction.Precision#INTERPOLATED}), and above the last finite bound it is only a
   * lower bound ({@link BucketFraction.Precision#AT_LEAST}). This is how SLO goodput is computed from a server's
   * histograms.
   *
   * <pre>{@code
   * window.fractionAtMost(0.5);   // share of requests with TTFT at most 500 ms, 0.93 say
   * }</pre>
   *
   * @param threshold the threshold, in the histogram's unit
   * @return the fraction, or empty when the window saw no observations (or the histogram has no {@code +Inf})
   */
  public Optional<BucketFraction> fractionAtMost(double threshold) {
    return Optional.ofNullable(ClassicQuantile.fractionInPlace(threshold, upperBounds.clone(), counts.clone()));
  }

  /**
   * The same buckets in another unit: bounds multiplied by {@code factor} (milliseconds to seconds: 0.001), counts
   * and count as they are, the sum scaled too.
   *
   * @param factor positive and finite
   * @return the scaled buckets
   */
  public BucketCounts scaled(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("factor must be positive and finite: " + factor);
    }
    double[] b = upperBounds.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] *= factor;
    }
    return new BucketCounts(b, counts.clone(), count, sum * factor, reset);
  }

  /**
   * The mean observation, {@code sum / count}.
   *
   * @return the mean; empty when there were no observations or count or sum is unknown
   */
  public OptionalDouble mean() {
    if (Double.isNaN(count) || Double.isNaN(sum) || count == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(sum / count);
  }

  /**
   * Number of buckets.
   *
   * @return the count
   */
  public int size() {
    return upperBounds.length;
  }

  /**
   * The upper bound of bucket {@code i}, in increasing order.
   *
   * @param i the index
   * @return the bound
   */
  public double upperBound(int i) {
    return upperBounds[i];
  }

  /**
   * The cumulative count of bucket {@code i}, as computed (not repaired).
   *
   * @param i the index
   * @return the count
   */
  public double cumulativeCount(int i) {
    return counts[i];
  }

  /**
   * A copy of the upper bounds.
   *
   * @return the bounds
   */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /**
   * A copy of the cumulative counts.
   *
   * @return the counts
   */
  public double[] cumulativeCounts() {
    return counts.clone();
  }

  /**
   * The number of observations ({@code _count}, or its increase).
   *
   * @return the count; NaN when unknown
   */
  public double count() {
    return count;
  }

  /**
   * The sum of observations ({@code _sum}, or its increase).
   *
   * @return the sum; NaN when unknown
   */
  public double sum() {
    return sum;
  }

  /**
   * Whether {@code _count} or a bucket went down between the two scrapes, so that PromQL's reset rule applied:
   * normally a restart of the serving process. Bucket increases over such a window can be too low (see the class
   * comment); for a sum, whether any part reset.
   *
   * @return true when a reset was seen
   */
  public boolean reset() {
    return reset;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BucketCounts)) {
      return false;
    }
    BucketCounts b = (BucketCounts) o;
    return Arrays.equals(upperBounds, b.upperBounds) && Arrays.equals(counts, b.counts)
        && Double.compare(count, b.count) == 0 && Double.compare(sum, b.sum) == 0 && reset == b.reset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(upperBounds), Arrays.hashCode(counts), count, sum, reset);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BucketCounts[");
    for (int i = 0; i < upperBounds.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append("le=").append(upperBounds[i]).append(':').append(counts[i]);
    }
    sb.append("] count=").append(count).append(" sum=").append(sum);
    return reset ? sb.append(" reset").toString() : sb.toString();
  }
}
