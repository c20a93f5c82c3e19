package io.github.infermetrics.core.kpi;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;
import java.util.Optional;

/**
 * One KPI value, for one set of dimensions. A value exists only when the KPI could be computed: a window without
 * traffic has no latency value at all (not 0, not NaN).
 *
 * @param kpi the KPI
 * @param statistic which statistic of it
 * @param dimensions its dimensions (see {@link KpiDimension}); {@code source} and {@code target} come from the
 *     {@link KpiSet}
 * @param value the value in {@link Kpi#unit()}; finite
 * @param bound set when the value is only a bound: a quantile that fell in a histogram's first or {@code +Inf}
 *     bucket (see {@link Bound})
 */
public record KpiValue(Kpi kpi, KpiStatistic statistic, Labels dimensions, double value, Optional<Bound> bound) {
  /**
   * Validates.
   *
   * @param kpi the KPI
   * @param statistic which statistic of it
   * @param dimensions its dimensions
   * @param value the value; finite
   * @param bound the bound, or empty
   * @throws IllegalArgumentException when the statistic does not apply or the value is not finite
   */
  public KpiValue {
    Objects.requireNonNull(kpi, "kpi");
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(bound, "bound");
    if (!kpi.statistics().contains(statistic)) {
      throw new IllegalArgumentException("statistic: " + kpi.id() + " has no " + statistic);
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("value of " + kpi.metricName(statistic) + " must be finite: " + value);
    }
  }

  /**
   * A value that is not a bound.
   *
   * @param kpi the KPI
   * @param statistic which statistic of it
   * @param dimensions its dimensions
   * @param value the value; finite
   */
  public KpiValue(Kpi kpi, KpiStatistic statistic, Labels dimensions, double value) {
    this(kpi, statistic, dimensions, value, Optional.empty());
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
