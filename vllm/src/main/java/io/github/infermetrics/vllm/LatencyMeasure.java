package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One statistic of one of vLLM's latency histograms as a {@link Measure}: {@code time_to_first_token} p95 is the
 * core KPI's, {@code prefill_time} p95 is vLLM's own ({@code prefill_time_seconds_p95}).
 *
 * @param latency the histogram
 * @param statistic the mean or a percentile
 */
public record LatencyMeasure(VllmLatency latency, KpiStatistic statistic) implements Measure {
  /** The statistics every latency has. */
  public static final List<KpiStatistic> STATISTICS = List.of(KpiStatistic.MEAN, KpiStatistic.P50,
      KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99);
  private static final Map<VllmLatency, Map<KpiStatistic, LatencyMeasure>> ALL = new EnumMap<>(VllmLatency.class);

  static {
    for (VllmLatency l : VllmLatency.values()) {
      Map<KpiStatistic, LatencyMeasure> byStat = new EnumMap<>(KpiStatistic.class);
      for (KpiStatistic s : STATISTICS) {
        byStat.put(s, new LatencyMeasure(l, s));
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
  public LatencyMeasure {
    Objects.requireNonNull(latency, "latency");
    if (!STATISTICS.contains(statistic)) {
      throw new IllegalArgumentException("a latency has the mean and percentiles, not " + statistic);
    }
  }

  /**
   * The measure of a latency statistic.
   *
   * @param latency the histogram
   * @param statistic the mean or a percentile
   * @return the shared instance
   */
  public static LatencyMeasure of(VllmLatency latency, KpiStatistic statistic) {
    LatencyMeasure m = ALL.get(latency).get(statistic);
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
