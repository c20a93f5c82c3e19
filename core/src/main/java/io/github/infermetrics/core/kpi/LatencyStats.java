package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.series.BucketCounts;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A latency over a window: observations per second, mean and percentiles in seconds. The percentiles are PromQL's
 * {@code histogram_quantile} over the window's bucket increases; every value is empty when nothing was observed.
 * The sources' latency KPIs (vLLM's time to first token, SGLang's and TGI's latencies, ...) are these.
 *
 * <pre>{@code
 * LatencyStats ttft = LatencyStats.of(BucketCounts.increase(before, now), 15.0);
 * ttft.p95();                          // OptionalDouble[0.62]
 * ttft.bound(KpiStatistic.P99);        // Optional[Bound[side=LOWER, limit=30.0]]: in the +Inf bucket
 * }</pre>
 *
 * @param perSecond observations per second
 * @param mean Δsum / Δcount
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param bounds the percentiles that are only bounds (they fell in the first or the {@code +Inf} bucket)
 */
public record LatencyStats(OptionalDouble perSecond, OptionalDouble mean, OptionalDouble p50, OptionalDouble p90,
    OptionalDouble p95, OptionalDouble p99, Map<KpiStatistic, Bound> bounds) {
  /** The statistics every latency has, in column order: the mean, then the percentiles. */
  public static final List<KpiStatistic> STATISTICS = List.of(KpiStatistic.MEAN, KpiStatistic.P50,
      KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99);
  /** Nothing observed, or no such histogram. */
  public static final LatencyStats ABSENT = new LatencyStats(OptionalDouble.empty(), OptionalDouble.empty(),
      OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());

  /**
   * Stats without bounds.
   *
   * @param perSecond observations per second
   * @param mean the mean
   * @param p50 the median
   * @param p90 the 90th percentile
   * @param p95 the 95th percentile
   * @param p99 the 99th percentile
   */
  public LatencyStats(OptionalDouble perSecond, OptionalDouble mean, OptionalDouble p50, OptionalDouble p90,
      OptionalDouble p95, OptionalDouble p99) {
    this(perSecond, mean, p50, p90, p95, p99, Map.of());
  }

  /**
   * Validates.
   *
   * @param perSecond observations per second
   * @param mean the mean
   * @param p50 the median
   * @param p90 the 90th percentile
   * @param p95 the 95th percentile
   * @param p99 the 99th percentile
   */
  public LatencyStats {
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
   * @return its value, or empty
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
   * @return the bound, or empty when it is an estimate (or absent)
   */
  public Optional<Bound> bound(KpiStatistic statistic) {
    return Optional.ofNullable(bounds.get(statistic));
  }

  /**
   * The stats of a window's bucket increases.
   *
   * @param b the histogram's increases over the window ({@link BucketCounts#increase})
   * @param windowSeconds the window's length in seconds
   * @return the stats; a rate without mean or percentiles when nothing was observed
   */
  public static LatencyStats of(BucketCounts b, double windowSeconds) {
    boolean observed = b.count() > 0 || (Double.isNaN(b.count()) && b.size() > 0
        && b.cumulativeCount(b.size() - 1) > 0);
    OptionalDouble rate = Double.isNaN(b.count()) ? OptionalDouble.empty()
        : OptionalDouble.of(b.count() / windowSeconds);
    if (!observed) {
      return new LatencyStats(rate, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
          OptionalDouble.empty(), OptionalDouble.empty());
    }
    Map<KpiStatistic, Bound> bounds = new EnumMap<>(KpiStatistic.class);
    for (KpiStatistic s : STATISTICS.subList(1, STATISTICS.size())) {
      b.quantileBound(s.quantile()).ifPresent(x -> bounds.put(s, x));
    }
    return new LatencyStats(rate, finite(b.mean()), quantile(b, 0.5), quantile(b, 0.9), quantile(b, 0.95),
        quantile(b, 0.99), bounds);
  }

  private static OptionalDouble quantile(BucketCounts b, double q) {
    double v = b.quantile(q);
    return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
  }

  private static OptionalDouble finite(OptionalDouble v) {
    return v.isPresent() && Double.isFinite(v.getAsDouble()) ? v : OptionalDouble.empty();
  }
}
