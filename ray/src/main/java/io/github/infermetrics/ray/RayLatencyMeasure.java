package io.github.infermetrics.ray;

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
 * One statistic of one of Ray Serve's latencies as a {@link Measure}, in seconds: the HTTP latency's p95 is the
 * core {@code end_to_end_latency_seconds_p95}, the processing latency's is {@code processing_latency_seconds_p95}.
 *
 * @param latency the histogram
 * @param statistic the mean or a percentile
 */
public record RayLatencyMeasure(RayLatency latency, KpiStatistic statistic) implements Measure {
  /** The statistics every latency has. */
  public static final List<KpiStatistic> STATISTICS = List.of(KpiStatistic.MEAN, KpiStatistic.P50,
      KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99);
  private static final Map<RayLatency, Map<KpiStatistic, RayLatencyMeasure>> ALL = new EnumMap<>(RayLatency.class);

  static {
    for (RayLatency l : RayLatency.values()) {
      Map<KpiStatistic, RayLatencyMeasure> byStat = new EnumMap<>(KpiStatistic.class);
      for (KpiStatistic s : STATISTICS) {
        byStat.put(s, new RayLatencyMeasure(l, s));
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
  public RayLatencyMeasure {
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
  public static RayLatencyMeasure of(RayLatency latency, KpiStatistic statistic) {
    RayLatencyMeasure m = ALL.get(latency).get(statistic);
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
    return (latency == RayLatency.HTTP_REQUEST ? "LAT " : "PROC ") + statistic.suffix() + " s";
  }

  @Override
  public Optional<Kpi> kpi() {
    return latency.kpi();
  }

  @Override
  public String description() {
    return latency == RayLatency.HTTP_REQUEST ? "End-to-end latency of HTTP requests at the Serve proxy"
        : "Time the deployment's replicas took to process a query";
  }
}
