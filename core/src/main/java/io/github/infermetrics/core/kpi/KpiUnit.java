package io.github.infermetrics.core.kpi;

/**
 * The unit of a KPI value, with its CloudWatch unit and its Micrometer base unit. Ratios are 0 to 1, never percent:
 * sources that report percent (neuron-monitor's JSON) are converted when they are read.
 */
public enum KpiUnit {
  /** Seconds. */
  SECONDS("seconds", "Seconds"),
  /** Events per second. */
  PER_SECOND("per_second", "Count/Second"),
  /** A ratio from 0 to 1. */
  RATIO("ratio", "None"),
  /** Bytes. */
  BYTES("bytes", "Bytes"),
  /** Watts. */
  WATTS("watts", "None"),
  /** A count (for example a batch size). */
  COUNT("count", "Count");

  private final String baseUnit;
  private final String cloudWatchUnit;

  KpiUnit(String baseUnit, String cloudWatchUnit) {
    this.baseUnit = baseUnit;
    this.cloudWatchUnit = cloudWatchUnit;
  }

  /**
   * The Micrometer base unit ({@code Meter.Builder.baseUnit}).
   *
   * @return for example {@code seconds}
   */
  public String baseUnit() {
    return baseUnit;
  }

  /**
   * The CloudWatch unit (one of the 27 units of {@code PutMetricData} and EMF).
   *
   * @return for example {@code Count/Second}
   */
  public String cloudWatchUnit() {
    return cloudWatchUnit;
  }
}
