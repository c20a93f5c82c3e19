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
  COUNT("count", "Count"),
  /** Bytes per second (PCIe, NVLink and network throughput). */
  BYTES_PER_SECOND("bytes_per_second", "Bytes/Second"),
  /** Joules (energy). */
  JOULES("joules", "None"),
  /** Degrees Celsius (temperatures). */
  CELSIUS("celsius", "None"),
  /** Hertz (clock rates). */
  HERTZ("hertz", "None"),
  /** US dollars (cost, from a price the user gives). */
  DOLLARS("dollars", "None");

  private final String baseUnit;
  private final String cloudWatchUnit;

  KpiUnit(String baseUnit, String cloudWatchUnit) {
    this.baseUnit = baseUnit;
    this.cloudWatchUnit = cloudWatchUnit;
  }

  /**
   * The unit's name, Prometheus style: the suffix of metric and column names, and the Micrometer base unit
   * ({@code Meter.Builder.baseUnit}) of every unit but {@link #COUNT} (see {@link #meterBaseUnit()}).
   *
   * @return for example {@code seconds}
   */
  public String baseUnit() {
    return baseUnit;
  }

  /**
   * The Micrometer base unit: {@link #baseUnit()}, or null for {@link #COUNT}, which is dimensionless (a batch
   * size, requests waiting): a registry would append it to the name, and Prometheus keeps the {@code _count} suffix
   * for histograms and summaries.
   *
   * @return the base unit, or null
   */
  public String meterBaseUnit() {
    return this == COUNT ? null : baseUnit;
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
