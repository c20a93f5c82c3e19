package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * The single-valued KPIs {@link SglangKpis} computes per model and per scheduler rank. The core KPIs carry the
 * vocabulary's names exactly as the vllm module fills them ({@code request_rate_per_second}, {@code batch_size} for
 * the running requests, {@code queue_depth} for the waiting ones, {@code kv_cache_usage_ratio}), so a fleet of vLLM
 * and SGLang servers lines up column for column; the others are SGLang's own ({@code server_cache_hit_ratio}).
 */
public enum SglangMeasure implements Measure {
  /** Finished requests per second ({@code num_requests_total}; before it existed, the end-to-end latency count). */
  REQUEST_RATE(Kpi.REQUEST_RATE, "REQ/S", false),
  /** Abort requests per second ({@code num_aborted_requests_total}). */
  ERROR_RATE(Kpi.ERROR_RATE, "ERR/S", false),
  /** Aborts over finished plus aborted requests. */
  ERROR_RATIO(Kpi.ERROR_RATIO, "ERR", false),
  /** Prompt tokens of finished requests per second. */
  PROMPT_TOKEN_RATE(Kpi.PROMPT_TOKEN_RATE, "PROMPT TOK/S", false),
  /** Generated tokens of finished requests per second. */
  GENERATION_TOKEN_RATE(Kpi.GENERATION_TOKEN_RATE, "GEN TOK/S", false),
  /** Prompt tokens served from the prefix cache over prompt tokens, in the window. */
  PREFIX_CACHE_HIT_RATIO("prefix_cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "PREFIX HIT", false,
      "Prompt tokens found in the prefix cache over prompt tokens in the window"),
  /** Mean prompt tokens per finished request in the window. */
  PROMPT_TOKENS_PER_REQUEST("prompt_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "PROMPT/REQ", false,
      "Mean prompt tokens per finished request"),
  /** Mean generated tokens per finished request in the window. */
  GENERATION_TOKENS_PER_REQUEST("generation_tokens_per_request", KpiUnit.COUNT, KpiStatistic.MEAN, "GEN/REQ",
      false, "Mean generated tokens per finished request"),
  /** Requests in the running batch now: in continuous batching the batch (the core KPI {@code batch_size}). */
  REQUESTS_RUNNING(Kpi.BATCH_SIZE, "RUN", true),
  /** Requests in the waiting queue now (the core KPI {@code queue_depth}). */
  REQUESTS_WAITING(Kpi.QUEUE_DEPTH, "WAIT", true),
  /** Waiting over running plus waiting, now. */
  QUEUE_PRESSURE("queue_pressure", KpiUnit.RATIO, KpiStatistic.VALUE, "QPRESS", true,
      "Waiting requests over running plus waiting"),
  /** Used share of the KV-cache token pool now ({@code token_usage}; per model the mean over its ranks). */
  KV_CACHE_USAGE(Kpi.KV_CACHE_USAGE, "KV", true),
  /** {@code 1 - }{@link #KV_CACHE_USAGE}. */
  KV_CACHE_HEADROOM("kv_cache_headroom", KpiUnit.RATIO, KpiStatistic.VALUE, "KV FREE", true,
      "Free share of the KV cache"),
  /** Tokens held in the KV cache now. */
  KV_CACHE_USED_TOKENS("kv_cache_used_tokens", KpiUnit.COUNT, KpiStatistic.VALUE, "KV TOK", true,
      "Tokens held in the KV cache"),
  /** Size of the KV-cache token pool. */
  KV_CACHE_CAPACITY_TOKENS("kv_cache_capacity_tokens", KpiUnit.COUNT, KpiStatistic.VALUE, "KV CAP", true,
      "Size of the KV-cache token pool"),
  /** The schedulers' own prefix-cache hit rate of their recent batches ({@code cache_hit_rate}). */
  SERVER_CACHE_HIT_RATIO("server_cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "HIT(srv)", true,
      "The scheduler's own prefix-cache hit rate of its recent batches"),
  /** The schedulers' own decode throughput over their last log interval ({@code gen_throughput}). */
  SERVER_GENERATION_THROUGHPUT("server_generation_throughput", KpiUnit.PER_SECOND, KpiStatistic.VALUE,
      "GEN TOK/S(srv)", true, "The scheduler's own decode throughput over its last log interval"),
  /** Requests retracted (preempted) per second. */
  RETRACTION_RATE("retractions", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "RETRACT/S", true,
      "Requests retracted to free KV cache per second"),
  /** Speculative decoding: accepted over drafted tokens of recent batches; only with speculative decoding. */
  SPEC_DECODE_ACCEPTANCE_RATE("spec_decode_acceptance", KpiUnit.RATIO, KpiStatistic.VALUE, "SD ACC", true,
      "Speculative decoding: accepted over drafted tokens"),
  /** Speculative decoding: mean accepted length of recent batches; only with speculative decoding. */
  SPEC_DECODE_ACCEPTANCE_LENGTH("spec_decode_acceptance_length", KpiUnit.COUNT, KpiStatistic.MEAN, "SD LEN", true,
      "Speculative decoding: mean accepted length");

  private final String id;
  private final KpiUnit unit;
  private final KpiStatistic statistic;
  private final String header;
  private final Kpi kpi;
  private final boolean scheduler;
  private final String description;

  SglangMeasure(Kpi kpi, String header, boolean scheduler) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.statistic = KpiStatistic.VALUE;
    this.header = header;
    this.kpi = kpi;
    this.scheduler = scheduler;
    this.description = kpi.description();
  }

  SglangMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header, boolean scheduler,
      String description) {
    this.id = id;
    this.unit = unit;
    this.statistic = statistic;
    this.header = header;
    this.kpi = null;
    this.scheduler = scheduler;
    this.description = description;
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

  @Override
  public String description() {
    return description;
  }

  /**
   * Whether it comes from the schedulers' families, so that each scheduler rank has it too (the others come from
   * the tokenizer's, per model only).
   *
   * @return true for per-rank measures
   */
  public boolean perRank() {
    return scheduler;
  }
}
