package io.github.infermetrics.vllm;

/**
 * The single-valued KPIs {@link VllmKpis} computes per model and per engine. Each has a machine name with its unit
 * (the column name in {@link VllmKpis#tables()}) and a short header.
 */
public enum VllmMeasure {
  /** Finished requests per second, any {@code finished_reason}. */
  REQUEST_RATE("request_rate_per_second", "REQ/S"),
  /** Finished requests per second that were not aborted and did not fail ({@code abort}, {@code error}). */
  GOODPUT("goodput_per_second", "GOOD/S"),
  /** Requests per second finished as {@code abort} or {@code error}. */
  ERROR_RATE("error_rate_per_second", "ERR/S"),
  /** {@link #ERROR_RATE} over {@link #REQUEST_RATE}. */
  ERROR_RATIO("error_ratio", "ERR"),
  /** Prompt tokens per second. */
  PROMPT_TOKEN_RATE("prompt_tokens_per_second", "PROMPT TOK/S"),
  /** Generated tokens per second. */
  GENERATION_TOKEN_RATE("generation_tokens_per_second", "GEN TOK/S"),
  /** Preemptions per second. */
  PREEMPTION_RATE("preemptions_per_second", "PREEMPT/S"),
  /** Prefix-cache hits over lookups in the window. */
  PREFIX_CACHE_HIT_RATIO("prefix_cache_hit_ratio", "PREFIX HIT"),
  /** KV-connector prefix-cache hits over lookups in the window. */
  EXTERNAL_PREFIX_CACHE_HIT_RATIO("external_prefix_cache_hit_ratio", "EXT HIT"),
  /** Multimodal cache hits over lookups in the window. */
  MM_CACHE_HIT_RATIO("mm_cache_hit_ratio", "MM HIT"),
  /** Used fraction of the KV cache now (per model: the mean over its engines). */
  KV_CACHE_USAGE("kv_cache_usage_ratio", "KV"),
  /** {@code 1 - }{@link #KV_CACHE_USAGE}. */
  KV_CACHE_HEADROOM("kv_cache_headroom_ratio", "KV FREE"),
  /** Requests running now. */
  REQUESTS_RUNNING("requests_running", "RUN"),
  /** Requests waiting now. */
  REQUESTS_WAITING("requests_waiting", "WAIT"),
  /** Waiting over running plus waiting, now. */
  QUEUE_PRESSURE("queue_pressure_ratio", "QPRESS"),
  /** Mean prompt tokens per finished request in the window. */
  PROMPT_TOKENS_PER_REQUEST("prompt_tokens_per_request_mean", "PROMPT/REQ"),
  /** Mean generated tokens per finished request in the window. */
  GENERATION_TOKENS_PER_REQUEST("generation_tokens_per_request_mean", "GEN/REQ"),
  /** Mean tokens per engine step in the window. */
  BATCH_TOKENS_PER_STEP("batch_tokens_per_step_mean", "TOK/STEP"),
  /** Speculative decoding: accepted over proposed draft tokens. */
  SPEC_DECODE_ACCEPTANCE_RATE("spec_decode_acceptance_ratio", "SD ACC"),
  /** Speculative decoding: 1 + accepted tokens per draft. */
  SPEC_DECODE_ACCEPTANCE_LENGTH("spec_decode_acceptance_length_mean", "SD LEN");

  private final String columnName;
  private final String header;

  VllmMeasure(String columnName, String header) {
    this.columnName = columnName;
    this.header = header;
  }

  /**
   * The machine name with its unit.
   *
   * @return for example {@code goodput_per_second}
   */
  public String columnName() {
    return columnName;
  }

  /**
   * A short header for text tables.
   *
   * @return for example {@code GOOD/S}
   */
  public String header() {
    return header;
  }
}
