package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import java.util.Optional;

/** What {@link TritonKpis} reports for the whole server: host CPU, pinned memory, response cache, totals. */
public enum ServerMeasure implements TritonMeasure {
  /** Host CPU busy fraction, 0 to 1. */
  CPU_UTILIZATION("cpu_utilization_ratio", "CPU"),
  /** Host memory in use, bytes. */
  CPU_MEMORY_USED("cpu_memory_used_bytes", "MEM USED"),
  /** Host memory in total, bytes. */
  CPU_MEMORY_TOTAL("cpu_memory_total_bytes", "MEM TOTAL"),
  /** Used over total host memory. */
  CPU_MEMORY_USED_RATIO("cpu_memory_used_ratio", "MEM RATIO"),
  /** Pinned memory pool in use, bytes. */
  PINNED_MEMORY_USED("pinned_memory_used_bytes", "PINNED USED"),
  /** Pinned memory pool size, bytes. */
  PINNED_MEMORY_TOTAL("pinned_memory_total_bytes", "PINNED TOTAL"),
  /** Response cache used fraction, 0 to 1. */
  RESPONSE_CACHE_UTILIZATION("response_cache_utilization_ratio", "CACHE UTIL"),
  /** Response cache entries. */
  RESPONSE_CACHE_ENTRIES("response_cache_entries", "CACHE ENTRIES"),
  /** Response cache hits over hits and misses in the window, all models. */
  RESPONSE_CACHE_HIT_RATIO("response_cache_hit_ratio", "CACHE HIT"),
  /** Inferences per second, all models. */
  INFERENCE_RATE("inference_rate_per_second", "INF/S"),
  /** Average power of all GPUs over the window, watts. */
  AVERAGE_POWER("power_average_watts", "AVG W"),
  /** Inferences of all models per joule of all GPUs. */
  INFERENCES_PER_JOULE("inferences_per_joule", "INF/J");

  private final String columnName;
  private final String header;

  ServerMeasure(String columnName, String header) {
    this.columnName = columnName;
    this.header = header;
  }

  @Override
  public String columnName() {
    return columnName;
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
