package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * The single-valued KPIs {@link VllmKpis} computes per model and per engine. The ones that are core KPIs carry the
 * vocabulary's names ({@code request_rate_per_second}, {@code queue_depth}); the others are vLLM's own
 * ({@code goodput_per_second}, {@code prefix_cache_hit_ratio}).
 */
public enum VllmMeasure implements Measure {
  /** Finished requests per second, any {@code finished_reason}. */
  REQUEST_RATE(Kpi.REQUEST_RATE, "REQ/S"),
  /** Finished requests per second that were not aborted and did not fail ({@code abort}, {@code error}). */
  GOODPUT("goodput", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "GOOD/S"),
  /** Requests per second finished as {@code abort} or {@code error}. */
  ERROR_RATE(Kpi.ERROR_RATE, "ERR/S"),
  /** {@link #ERROR_RATE} over {@link #REQUEST_RATE}. */
  ERROR_RATIO(Kpi.ERROR_RATIO, "ERR"),
  /** Prompt tokens per second. */
  PROMPT_TOKEN_RATE(Kpi.PROMPT_TOKEN_RATE, "PROMPT TOK/S"),
  /** Generated tokens per second. */
  GENERATION_TOKEN_RATE(Kpi.GENERATION_TOKEN_RATE, "GEN TOK/S"),
  /** Preemptions per second. */
  PREEMPTION_RATE("preemptions", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "PREEMPT/S"),
  /** Prefix-cache hits over lookups in the window. */
  PREFIX_CACHE_HIT_RATIO("prefix_cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "PREFIX HIT"),
  /** KV-connector prefix-cache hits over lookups in the window. */
  EXTERNAL_PREFIX_CACHE_HIT_RATIO("external_prefix_cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "EXT HIT"),
  /** Multimodal cache hits over lookups in the window. */
  MM_CACHE_HIT_RATIO("mm_cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "MM HIT"),
  /** Used fraction of the KV cache now (per model: the mean over its engines). */
  KV_CACHE_USAGE(Kpi.KV_CACHE_USAGE, "KV"),
  /** {@code 1 - }{@link #KV_CACHE_USAGE}. */
  KV_CACHE_HEADROOM("kv_cache_headroom", KpiUnit.RATIO, KpiStatistic.VALUE, "KV FREE"),
  /** Requests running now: in continuous batching, the batch (the core KPI {@code batch_size}). */
  REQUESTS_RUNNING(Kpi.BATCH_SIZE, "RUN"),
  /** Requests waiting now (the core KPI {@code queue_depth}). */
  REQUESTS_WAITING(Kpi.QUEUE_DEPTH, "WAIT"),
  /** Waiting over running plus waiting, now. */
  QUEUE_PRESSURE("queue_pressure", KpiUnit.RATIO, KpiStatistic.VALUE, "QPRESS"),
  /** Mean prompt tokens per finished request in the window. */
  PROMPT_TOKENS_PER_REQUEST("prompt_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "PROMPT/REQ"),
  /** Mean generated tokens per finished request in the window. */
  GENERATION_TOKENS_PER_REQUEST("generation_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "GEN/REQ"),
  /** Mean tokens per engine step in the window. */
  BATCH_TOKENS_PER_STEP("batch_tokens_per_step", KpiUnit.COUNT, KpiStatistic.MEAN, "TOK/STEP"),
  /** Speculative decoding: accepted over proposed draft tokens. */
  SPEC_DECODE_ACCEPTANCE_RATE("spec_decode_acceptance", KpiUnit.RATIO, KpiStatistic.VALUE, "SD ACC"),
  /** Speculative decoding: 1 + accepted tokens per draft. */
  SPEC_DECODE_ACCEPTANCE_LENGTH("spec_decode_acceptance_length", KpiUnit.COUNT, KpiStatistic.MEAN, "SD LEN");

  private final String id;
  private final KpiUnit unit;
  private final KpiStatistic statistic;
  private final String header;
  private final Kpi kpi;

  VllmMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.statistic = KpiStatistic.VALUE;
    this.header = header;
    this.kpi = kpi;
  }

  VllmMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header) {
    this.id = id;
    this.unit = unit;
    this.statistic = statistic;
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
    return statistic;
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
