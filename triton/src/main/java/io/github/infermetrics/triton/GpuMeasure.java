package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/** What {@link TritonKpis} reports per GPU: current gauges and, from the energy counter, rates over the window. */
public enum GpuMeasure implements Measure {
  /** Busy fraction, 0 to 1. */
  UTILIZATION(Kpi.ACCELERATOR_UTILIZATION, "UTIL"),
  /** Memory in use, bytes. */
  MEMORY_USED(Kpi.ACCELERATOR_MEMORY_USED, "MEM USED"),
  /** Memory in total, bytes. */
  MEMORY_TOTAL(Kpi.ACCELERATOR_MEMORY_TOTAL, "MEM TOTAL"),
  /** Used over total memory. */
  MEMORY_USED_RATIO("memory_used", KpiUnit.RATIO, "MEM RATIO"),
  /** Power draw now, watts. */
  POWER(Kpi.POWER, "POWER W"),
  /** Power limit, watts. */
  POWER_LIMIT("power_limit", KpiUnit.WATTS, "LIMIT W"),
  /** Average power over the window from the energy counter: Δenergy / window. */
  AVERAGE_POWER("power_average", KpiUnit.WATTS, "AVG W"),
  /** Inferences per joule, when the model series carry this GPU's {@code gpu_uuid}. */
  INFERENCES_PER_JOULE("inferences_per_joule", KpiUnit.COUNT, "INF/J");

  private final String id;
  private final KpiUnit unit;
  private final String header;
  private final Kpi kpi;

  GpuMeasure(String id, KpiUnit unit, String header) {
    this.id = id;
    this.unit = unit;
    this.header = header;
    this.kpi = null;
  }

  GpuMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.header = header;
    this.kpi = kpi;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  @Override
  public KpiStatistic statistic() {
    return KpiStatistic.VALUE;
  }
}
