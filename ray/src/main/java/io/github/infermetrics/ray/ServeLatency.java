package io.github.infermetrics.ray;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.series.BucketCounts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A Ray Serve latency over a window, converted from Ray's milliseconds to seconds: observations per second, mean
 * and percentiles. The percentiles are PromQL's {@code histogram_quantile(q, sum by (le, ...) (...)) / 1000} over
 * the window's bucket increases; every value is empty when nothing was observed.
 *
 * @param perSecond observations per second
 * @param mean Δsum / Δcount, seconds
 * @param p50 the median, seconds
 * @param p90 the 90th percentile, seconds
 * @param p95 the 95th percentile, seconds
 * @param p99 the 99th percentile, seconds
 * @param bounds the percentiles that are only bounds (in the first or the {@code +Inf} bucket), in seconds
 */
public record ServeLatency(OptionalDouble perSecond, OptionalDouble mean, OptionalDouble p50, OptionalDouble p90,
    OptionalDouble p95, OptionalDouble p99, Map<KpiStatistic, Bound> bounds) {
  /** Nothing observed, or no such histogram. */
  public static final ServeLatency ABSENT = new ServeLatency(OptionalDouble.empty(), OptionalDouble.empty(),
      OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), Map.of());

  /**
   * Validates and copies.
   *
   * @param perSecond observations per second
   * @param mean the mean
   * @param p50 the median
   * @param p90 the 90th percentile
   * @param p95 the 95th percentile
   * @param p99 the 99th percentile
   * @param bounds the bounds
   */
  public ServeLatency {
    Objects.requireNonNull(perSecond, "perSecond");
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(p50, "p50");
    Objects.requireNonNull(p90, "p90");
    Objects.requireNonNull(p95, "p95");
    Objects.requireNonNull(p99, "p99");
    bounds = Map.copyOf(bounds);
  }

  /**
   * One statistic.
   *
   * @param statistic the mean or a percentile
   * @return its value in seconds, or empty
   */
  public OptionalDouble get(KpiStatistic statistic) {
    switch (statistic) {
      case MEAN:
        return mean;
      case P50:
        return p50;
      case P90:
        return p90;
      case P95:
        return p95;
      case P99:
        return p99;
      default:
        return OptionalDouble.empty();
    }
  }

  /**
   * Whether a percentile is only a bound.
   *
   * @param statistic a percentile
   * @return the bound in seconds, or empty when it is an estimate (or absent)
   */
  public Optional<Bound> bound(KpiStatistic statistic) {
    return Optional.ofNullable(bounds.get(statistic));
  }

  /** The stats of a window's bucket increases of a millisecond histogram. */
  static ServeLatency ofMilliseconds(BucketCounts ms, double windowSeconds) {
    OptionalDouble rate = Double.isNaN(ms.count()) ? OptionalDouble.empty()
        : OptionalDouble.of(ms.count() / windowSeconds);
    boolean observed = ms.count() > 0 || (Double.isNaN(ms.count()) && ms.size() > 0
        && ms.cumulativeCount(ms.size() - 1) > 0);
    if (!observed) {
      return new ServeLatency(rate, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
          OptionalDouble.empty(), OptionalDouble.empty(), Map.of());
    }
    Map<KpiStatistic, Bound> bounds = new EnumMap<>(KpiStatistic.class);
    for (KpiStatistic s : List.of(KpiStatistic.P50, KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99)) {
      ms.quantileBound(s.quantile()).ifPresent(b -> bounds.put(s, new Bound(b.side(), b.limit() / 1000)));
    }
    OptionalDouble mean = ms.mean();
    return new ServeLatency(rate, seconds(mean.isPresent() ? mean.getAsDouble() : Double.NaN),
        seconds(ms.quantile(0.5)), seconds(ms.quantile(0.9)), seconds(ms.quantile(0.95)), seconds(ms.quantile(0.99)),
        bounds);
  }

  private static OptionalDouble seconds(double ms) {
    return Double.isFinite(ms) ? OptionalDouble.of(ms / 1000) : OptionalDouble.empty();
  }
}
