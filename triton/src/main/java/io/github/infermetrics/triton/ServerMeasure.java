package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/** What {@link TritonKpis} reports for the whole server: host CPU, pinned memory, response cache, totals. */
public enum ServerMeasure implements Measure {
  /** Host CPU busy fraction, 0 to 1. */
  CPU_UTILIZATION("cpu_utilization", KpiUnit.RATIO, "CPU"),
  /** Host memory in use, bytes. */
  CPU_MEMORY_USED("cpu_memory_used", KpiUnit.BYTES, "MEM USED"),
  /** Host memory in total, bytes. */
  CPU_MEMORY_TOTAL("cpu_memory_total", KpiUnit.BYTES, "MEM TOTAL"),
  /** Used over total host memory. */
  CPU_MEMORY_USED_RATIO("cpu_memory_used", KpiUnit.RATIO, "MEM RATIO"),
  /** Pinned memory pool in use, bytes. */
  PINNED_MEMORY_USED("pinned_memory_used", KpiUnit.BYTES, "PINNED USED"),
  /** Pinned memory pool size, bytes. */
  PINNED_MEMORY_TOTAL("pinned_memory_total", KpiUnit.BYTES, "PINNED TOTAL"),
  /** Response cache used fraction, 0 to 1. */
  RESPONSE_CACHE_UTILIZATION("response_cache_utilization", KpiUnit.RATIO, "CACHE UTIL"),
  /** Response cache entries. */
  RESPONSE_CACHE_ENTRIES("response_cache_entries", KpiUnit.COUNT, "CACHE ENTRIES"),
  /** Response cache hits over hits and misses in the window, all models. */
  RESPONSE_CACHE_HIT_RATIO("response_cache_hit", KpiUnit.RATIO, "CACHE HIT"),
  /** Inferences per second, all models. */
  INFERENCE_RATE("inference_rate", KpiUnit.PER_SECOND, "INF/S"),
  /** Average power of all GPUs over the window, watts. */
  AVERAGE_POWER("power_average", KpiUnit.WATTS, "AVG W"),
  /** Inferences of all models per joule of all GPUs. */
  INFERENCES_PER_JOULE("inferences_per_joule", KpiUnit.COUNT, "INF/J");

  private final String id;
  private final KpiUnit unit;
  private final String header;

  ServerMeasure(String id, KpiUnit unit, String header) {
    this.id = id;
    this.unit = unit;
    this.header = header;
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
    return Optional.empty();
  }

  @Override
  public KpiStatistic statistic() {
    return KpiStatistic.VALUE;
  }
}
