package io.github.infermetrics.vllm;

import java.util.List;

/**
 * One vLLM concept, whatever the version calls it: the exposed family names it has had (newest first), its type
 * and the label that splits it beyond model and engine. {@link VllmSnapshot} reads the first name a scrape has.
 *
 * <pre>{@code
 * VllmMetric.KV_CACHE_USAGE.names();   // [vllm:kv_cache_usage_perc, vllm:gpu_cache_usage_perc]
 * snapshot.familyName(VllmMetric.KV_CACHE_USAGE);   // Optional[vllm:gpu_cache_usage_perc] on vLLM 0.4
 * }</pre>
 *
 * <p>Counter names are given without {@code _total}: a Prometheus text scrape names the family
 * {@code vllm:prompt_tokens_total}, an OpenMetrics one {@code vllm:prompt_tokens}; both are found. The names are
 * vLLM's own spelling; a scrape of Ray Serve LLM or NIM spells them its way ({@link VllmNaming}), and
 * {@link VllmSnapshot#familyName} says what it found.
 */
public enum VllmMetric {
  /** Requests being processed ({@code num_requests_running}). */
  REQUESTS_RUNNING(Kind.GAUGE, null, "vllm:num_requests_running"),
  /** Requests waiting to be scheduled. */
  REQUESTS_WAITING(Kind.GAUGE, null, "vllm:num_requests_waiting"),
  /** Waiting requests by {@code reason} (capacity, deferred); newest vLLM. */
  REQUESTS_WAITING_BY_REASON(Kind.GAUGE, "reason", "vllm:num_requests_waiting_by_reason"),
  /** Requests swapped out to CPU; V0 only. */
  REQUESTS_SWAPPED(Kind.GAUGE, null, "vllm:num_requests_swapped"),
  /** Engine sleep state, 1 for the current {@code sleep_state}. */
  ENGINE_SLEEP_STATE(Kind.GAUGE, "sleep_state", "vllm:engine_sleep_state"),
  /** Used fraction of the KV cache, 0 to 1 (renamed from {@code gpu_cache_usage_perc} in 0.9). */
  KV_CACHE_USAGE(Kind.GAUGE, null, "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"),
  /** Used fraction of the CPU swap cache; V0 only. */
  CPU_CACHE_USAGE(Kind.GAUGE, null, "vllm:cpu_cache_usage_perc"),
  /** GPU prefix-cache hit rate since start; V0 only (V1 has the counters). */
  GPU_PREFIX_CACHE_HIT_RATE(Kind.GAUGE, null, "vllm:gpu_prefix_cache_hit_rate"),
  /** CPU prefix-cache hit rate since start; V0 only. */
  CPU_PREFIX_CACHE_HIT_RATE(Kind.GAUGE, null, "vllm:cpu_prefix_cache_hit_rate"),
  /** Prompt tokens per second as logged by V0 itself; removed (use the counter). */
  AVG_PROMPT_THROUGHPUT(Kind.GAUGE, null, "vllm:avg_prompt_throughput_toks_per_s"),
  /** Generation tokens per second as logged by V0 itself; removed (use the counter). */
  AVG_GENERATION_THROUGHPUT(Kind.GAUGE, null, "vllm:avg_generation_throughput_toks_per_s"),
  /** Cache configuration as labels. */
  CACHE_CONFIG_INFO(Kind.INFO, null, "vllm:cache_config_info"),
  /** The whole VllmConfig as labels; newest vLLM. */
  VLLM_CONFIG_INFO(Kind.INFO, null, "vllm:vllm_config_info"),
  /** LoRA adapters: value is a timestamp, labels list the adapters; only with LoRA. */
  LORA_REQUESTS_INFO(Kind.INFO, null, "vllm:lora_requests_info"),
  /** Prefix-cache lookups: tokens since 0.9 ({@code prefix_cache_queries}), blocks in V1 0.8. */
  PREFIX_CACHE_QUERIES(Kind.COUNTER, null, "vllm:prefix_cache_queries", "vllm:gpu_prefix_cache_queries"),
  /** Prefix-cache hits, in the unit of {@link #PREFIX_CACHE_QUERIES}. */
  PREFIX_CACHE_HITS(Kind.COUNTER, null, "vllm:prefix_cache_hits", "vllm:gpu_prefix_cache_hits"),
  /** KV-connector (cross-instance) prefix-cache lookups, in tokens. */
  EXTERNAL_PREFIX_CACHE_QUERIES(Kind.COUNTER, null, "vllm:external_prefix_cache_queries"),
  /** KV-connector prefix-cache hits, in tokens. */
  EXTERNAL_PREFIX_CACHE_HITS(Kind.COUNTER, null, "vllm:external_prefix_cache_hits"),
  /** Multimodal cache lookups, in items. */
  MM_CACHE_QUERIES(Kind.COUNTER, null, "vllm:mm_cache_queries"),
  /** Multimodal cache hits, in items. */
  MM_CACHE_HITS(Kind.COUNTER, null, "vllm:mm_cache_hits"),
  /** Preemptions. */
  PREEMPTIONS(Kind.COUNTER, null, "vllm:num_preemptions"),
  /** Prompt tokens processed. */
  PROMPT_TOKENS(Kind.COUNTER, null, "vllm:prompt_tokens"),
  /** Prompt tokens by {@code source}: local_compute, local_cache_hit, external_kv_transfer. */
  PROMPT_TOKENS_BY_SOURCE(Kind.COUNTER, "source", "vllm:prompt_tokens_by_source"),
  /** Prompt tokens served from a cache. */
  PROMPT_TOKENS_CACHED(Kind.COUNTER, null, "vllm:prompt_tokens_cached"),
  /** Prompt tokens computed again after a preemption. */
  PROMPT_TOKENS_RECOMPUTED(Kind.COUNTER, null, "vllm:prompt_tokens_recomputed"),
  /** Generated tokens. */
  GENERATION_TOKENS(Kind.COUNTER, null, "vllm:generation_tokens"),
  /** Finished requests by {@code finished_reason}: stop, length, abort (newest also error, repetition). */
  REQUEST_SUCCESS(Kind.COUNTER, "finished_reason", "vllm:request_success"),
  /** Requests with NaNs in their logits; only with {@code VLLM_COMPUTE_NANS_IN_LOGITS}. */
  CORRUPTED_REQUESTS(Kind.COUNTER, null, "vllm:corrupted_requests"),
  /** Speculative-decoding drafts. */
  SPEC_DECODE_DRAFTS(Kind.COUNTER, null, "vllm:spec_decode_num_drafts"),
  /** Speculative-decoding draft tokens proposed. */
  SPEC_DECODE_DRAFT_TOKENS(Kind.COUNTER, null, "vllm:spec_decode_num_draft_tokens"),
  /** Speculative-decoding draft tokens accepted. */
  SPEC_DECODE_ACCEPTED_TOKENS(Kind.COUNTER, null, "vllm:spec_decode_num_accepted_tokens"),
  /** Accepted draft tokens by {@code position}. */
  SPEC_DECODE_ACCEPTED_TOKENS_PER_POSITION(Kind.COUNTER, "position", "vllm:spec_decode_num_accepted_tokens_per_pos"),
  /** Time to first token, seconds. */
  TIME_TO_FIRST_TOKEN(Kind.HISTOGRAM, null, "vllm:time_to_first_token_seconds"),
  /** Time between output tokens, seconds (renamed from {@code time_per_output_token_seconds} in 0.11). */
  INTER_TOKEN_LATENCY(Kind.HISTOGRAM, null, "vllm:inter_token_latency_seconds",
      "vllm:time_per_output_token_seconds"),
  /** Mean time per output token of each request, seconds. */
  REQUEST_TIME_PER_OUTPUT_TOKEN(Kind.HISTOGRAM, null, "vllm:request_time_per_output_token_seconds"),
  /** End-to-end request latency, seconds. */
  E2E_REQUEST_LATENCY(Kind.HISTOGRAM, null, "vllm:e2e_request_latency_seconds"),
  /** Time in the waiting queue, seconds ({@code time_in_queue_requests} was a V0 duplicate). */
  REQUEST_QUEUE_TIME(Kind.HISTOGRAM, null, "vllm:request_queue_time_seconds", "vllm:time_in_queue_requests"),
  /** Time running (prefill plus decode), seconds. */
  REQUEST_INFERENCE_TIME(Kind.HISTOGRAM, null, "vllm:request_inference_time_seconds"),
  /** Prefill time, seconds. */
  REQUEST_PREFILL_TIME(Kind.HISTOGRAM, null, "vllm:request_prefill_time_seconds"),
  /** Decode time, seconds. */
  REQUEST_DECODE_TIME(Kind.HISTOGRAM, null, "vllm:request_decode_time_seconds"),
  /** Prompt tokens per request. */
  REQUEST_PROMPT_TOKENS(Kind.HISTOGRAM, null, "vllm:request_prompt_tokens"),
  /** Generated tokens per request. */
  REQUEST_GENERATION_TOKENS(Kind.HISTOGRAM, null, "vllm:request_generation_tokens"),
  /** Tokens per engine step (the {@code _total} is part of this histogram's name). */
  ITERATION_TOKENS(Kind.HISTOGRAM, null, "vllm:iteration_tokens_total"),
  /** Largest number of generation tokens of a request's sequences. */
  REQUEST_MAX_NUM_GENERATION_TOKENS(Kind.HISTOGRAM, null, "vllm:request_max_num_generation_tokens"),
  /** The {@code max_tokens} request parameter. */
  REQUEST_PARAMS_MAX_TOKENS(Kind.HISTOGRAM, null, "vllm:request_params_max_tokens"),
  /** The {@code n} request parameter. */
  REQUEST_PARAMS_N(Kind.HISTOGRAM, null, "vllm:request_params_n"),
  /** The {@code best_of} request parameter; V0 only. */
  REQUEST_PARAMS_BEST_OF(Kind.HISTOGRAM, null, "vllm:request_params_best_of"),
  /** Prompt tokens whose KV was computed in prefill (not cached). */
  REQUEST_PREFILL_KV_COMPUTED_TOKENS(Kind.HISTOGRAM, null, "vllm:request_prefill_kv_computed_tokens"),
  /** vLLM-Neuron: sequences of padding per step, by {@code bucket_name}. */
  NEURON_NUM_SEQS_PADDING(Kind.HISTOGRAM, "bucket_name", "vllm_neuron:num_seqs_padding"),
  /** vLLM-Neuron: batched tokens of padding per step, by {@code bucket_name}. */
  NEURON_NUM_BATCHED_TOKENS_PADDING(Kind.HISTOGRAM, "bucket_name", "vllm_neuron:num_batched_tokens_padding"),
  /** vLLM-Neuron: NEFF executions, by {@code bucket_name}. */
  NEURON_NEFF_EXECUTIONS(Kind.COUNTER, "bucket_name", "vllm_neuron:neff_execution_count"),
  /** vLLM-Neuron: startup time, seconds. */
  NEURON_STARTUP_TIME(Kind.GAUGE, "bucket_name", "vllm_neuron:startup_time_seconds"),
  /** vLLM-Neuron: compilation time per bucket, seconds. */
  NEURON_COMPILATION_TIME(Kind.GAUGE, "bucket_name", "vllm_neuron:compilation_time_seconds"),
  /** vLLM-Neuron: model load time, seconds. */
  NEURON_MODEL_LOAD_TIME(Kind.GAUGE, "bucket_name", "vllm_neuron:model_load_time_seconds"),
  /** vLLM-Neuron: model load size, bytes. */
  NEURON_MODEL_LOAD_SIZE(Kind.GAUGE, "bucket_name", "vllm_neuron:model_load_size_bytes");

  /** How a concept is exposed. */
  public enum Kind {
    /** A gauge. */
    GAUGE,
    /** A counter (cumulative). */
    COUNTER,
    /** A classic histogram. */
    HISTOGRAM,
    /** A gauge of value 1 (a timestamp for LoRA) whose labels are the information. */
    INFO
  }

  private final Kind kind;
  private final String detailLabel;
  private final List<String> names;

  VllmMetric(Kind kind, String detailLabel, String... names) {
    this.kind = kind;
    this.detailLabel = detailLabel;
    this.names = List.of(names);
  }

  /**
   * How it is exposed.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The label that splits it beyond model and engine, such as {@code finished_reason}.
   *
   * @return the label name, or {@code null} when there is none
   */
  public String detailLabel() {
    return detailLabel;
  }

  /**
   * Its family names in vLLM's own spelling ({@code vllm:...}), newest first; counters without {@code _total}.
   *
   * @return an unmodifiable list with at least one name
   */
  public List<String> names() {
    return names;
  }

  /**
   * The family names a snapshot may use for it, in lookup order: for a counter {@code X_total} (Prometheus text)
   * before {@code X} (OpenMetrics), for every alias.
   */
  List<String> lookupNames() {
    if (kind != Kind.COUNTER) {
      return names;
    }
    String[] out = new String[names.size() * 2];
    for (int i = 0; i < names.size(); i++) {
      out[2 * i] = names.get(i) + "_total";
      out[2 * i + 1] = names.get(i);
    }
    return List.of(out);
  }
}
