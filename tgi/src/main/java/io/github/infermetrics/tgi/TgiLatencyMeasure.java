package io.github.infermetrics.tgi;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.kpi.Measure;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One statistic of one of TGI's duration histograms as a {@link Measure}: end-to-end latency, queue time and
 * inter-token latency are core KPI statistics ({@code queue_time_seconds_p95}); validation, inference and the
 * batch durations are TGI's own ({@code batch_forward_time_seconds_p95}, dimension {@code method}).
 *
 * @param latency the histogram
 * @param statistic the mean or a percentile
 */
public record TgiLatencyMeasure(TgiLatency latency, KpiStatistic statistic) implements Measure {
  private static final Map<TgiLatency, Map<KpiStatistic, TgiLatencyMeasure>> ALL = new EnumMap<>(TgiLatency.class);

  static {
    for (TgiLatency l : TgiLatency.values()) {
      Map<KpiStatistic, TgiLatencyMeasure> byStat = new EnumMap<>(KpiStatistic.class);
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        byStat.put(s, new TgiLatencyMeasure(l, s));
      }
      ALL.put(l, byStat);
    }
  }

  /**
   * Validates.
   *
   * @param latency the histogram
   * @param statistic the mean or a percentile
   */
  public TgiLatencyMeasure {
    Objects.requireNonNull(latency, "latency");
    if (!LatencyStats.STATISTICS.contains(statistic)) {
      throw new IllegalArgumentException("a latency has the mean and percentiles, not " + statistic);
    }
  }

  /**
   * The measure of a latency statistic.
   *
   * @param latency the histogram
   * @param statistic the mean or a percentile
   * @return the shared instance
   * @throws IllegalArgumentException for another statistic
   */
  public static TgiLatencyMeasure of(TgiLatency latency, KpiStatistic statistic) {
    TgiLatencyMeasure m = ALL.get(Objects.requireNonNull(latency, "latency")).get(statistic);
    if (m == null) {
      throw new IllegalArgumentException("a latency has the mean and percentiles, not " + statistic);
    }
    return m;
  }

  @Override
  public String id() {
    return latency.id();
  }

  @Override
  public KpiUnit unit() {
    return KpiUnit.SECONDS;
  }

  @Override
  public String header() {
    return latency.id().toUpperCase(java.util.Locale.ROOT).replace('_', ' ') + " " + statistic.suffix();
  }

  @Override
  public Optional<Kpi> kpi() {
    return latency.kpi();
  }
}
