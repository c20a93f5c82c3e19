package io.github.infermetrics.sglang;

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
 * One statistic of one of SGLang's latency histograms as a {@link Measure}: every one is a core KPI statistic
 * ({@code time_to_first_token_seconds_p95}, {@code queue_time_seconds_mean}).
 *
 * @param latency the histogram
 * @param statistic the mean or a percentile
 */
public record SglangLatencyMeasure(SglangLatency latency, KpiStatistic statistic) implements Measure {
  private static final Map<SglangLatency, Map<KpiStatistic, SglangLatencyMeasure>> ALL =
      new EnumMap<>(SglangLatency.class);

  static {
    for (SglangLatency l : SglangLatency.values()) {
      Map<KpiStatistic, SglangLatencyMeasure> byStat = new EnumMap<>(KpiStatistic.class);
      for (KpiStatistic s : LatencyStats.STATISTICS) {
        byStat.put(s, new SglangLatencyMeasure(l, s));
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
  public SglangLatencyMeasure {
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
  public static SglangLatencyMeasure of(SglangLatency latency, KpiStatistic statistic) {
    SglangLatencyMeasure m = ALL.get(Objects.requireNonNull(latency, "latency")).get(statistic);
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
    return Optional.of(latency.kpi());
  }
}
