package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * What {@link TritonKpis} reports of the TensorRT-LLM backend ({@code nv_trt_llm_*}) per model: the KV-cache usage,
 * and every other series as a gauge or, for families of TYPE counter, a rate, with {@code metric} (the family
 * without {@code nv_trt_llm_}) and {@code type} (its type label's value) as dimensions.
 */
public enum TrtLlmMeasure implements Measure {
  /** Used share of the KV-cache blocks, {@code nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="fraction"}}. */
  KV_CACHE_USAGE(Kpi.KV_CACHE_USAGE, "KV"),
  /** A gauge series as it is, for example {@code metric=request_metrics, type=waiting}. */
  GAUGE("trt_llm", KpiUnit.COUNT, "VALUE"),
  /** The rate of a counter series over the window, for example {@code metric=disaggregated_serving_metrics}. */
  COUNTER_RATE("trt_llm_rate", KpiUnit.PER_SECOND, "RATE");

  private final String id;
  private final KpiUnit unit;
  private final String header;
  private final Kpi kpi;

  TrtLlmMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.header = header;
    this.kpi = kpi;
  }

  TrtLlmMeasure(String id, KpiUnit unit, String header) {
    this.id = id;
    this.unit = unit;
    this.header = header;
    this.kpi = null;
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
  public KpiStatistic statistic() {
    return KpiStatistic.VALUE;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }
}
