package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;

/**
 * One KPI value, for one set of dimensions. A value exists only when the KPI could be computed: a window without
 * traffic has no latency value at all (not 0, not NaN).
 *
 * @param kpi the KPI
 * @param statistic which statistic of it
 * @param dimensions its dimensions (see {@link KpiDimension})
 * @param value the value in {@link Kpi#unit()}; finite
 */
public record KpiValue(Kpi kpi, KpiStatistic statistic, Labels dimensions, double value) {
  /**
   * Validates.
   *
   * @param kpi the KPI
   * @param statistic which statistic of it
   * @param dimensions its dimensions
   * @param value the value; finite
   * @throws IllegalArgumentException when the statistic does not apply or the value is not finite
   */
  public KpiValue {
    Objects.requireNonNull(kpi, "kpi");
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(dimensions, "dimensions");
    if (!kpi.statistics().contains(statistic)) {
      throw new IllegalArgumentException("statistic: " + kpi.id() + " has no " + statistic);
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value of " + kpi.metricName(statistic) + " must be finite: " + value);
    }
  }

  /**
   * The metric name of this value, {@link Kpi#metricName(KpiStatistic)}.
   *
   * @return the name
   */
  public String metricName() {
    return kpi.metricName(statistic);
  }
}
