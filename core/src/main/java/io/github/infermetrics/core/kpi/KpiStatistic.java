package io.github.infermetrics.core.kpi;

/**
 * Which statistic of a KPI a value is: the value itself (rates, gauges), the mean over the window, or a quantile
 * estimated from a histogram (PromQL {@code histogram_quantile}) or read from a summary.
 */
public enum KpiStatistic {
  /** The value itself: a rate over the window or a gauge's current value. */
  VALUE("", Double.NaN),
  /** The mean over the window (Δsum / Δcount). */
  MEAN("mean", Double.NaN),
  /** The median. */
  P50("p50", 0.5),
  /** The 90th percentile. */
  P90("p90", 0.9),
  /** The 95th percentile. */
  P95("p95", 0.95),
  /** The 99th percentile. */
  P99("p99", 0.99);

  private final String suffix;
  private final double quantile;

  KpiStatistic(String suffix, double quantile) {
    this.suffix = suffix;
    this.quantile = quantile;
  }

  /**
   * The suffix that names this statistic in metric names, empty for {@link #VALUE}.
   *
   * @return for example {@code p95}
   */
  public String suffix() {
    return suffix;
  }

  /**
   * The quantile this statistic estimates.
   *
   * @return from 0 to 1, or NaN for {@link #VALUE} and {@link #MEAN}
   */
  public double quantile() {
    return quantile;
  }

  /**
   * Whether this is a quantile.
   *
   * @return true for the percentiles
   */
  public boolean isQuantile() {
    return !Double.isNaN(quantile);
  }
}
