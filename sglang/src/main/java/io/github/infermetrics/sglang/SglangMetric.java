package io.github.infermetrics.sglang;

import java.util.List;

/**
 * One SGLang concept, whatever the release calls it: the family names it has had (newest first), its type, and
 * which process writes it. {@link SglangSnapshot} reads the first name a scrape has.
 *
 * <pre>{@code
 * SglangMetric.INTER_TOKEN_LATENCY.names();
 * // [sglang:inter_token_latency_seconds, sglang:time_per_output_token_seconds]
 * snapshot.familyName(SglangMetric.INTER_TOKEN_LATENCY);
 * // Optional[sglang:time_per_output_token_seconds] on releases of 2024
 * }</pre>
 *
 * <p>SGLang's tokenizer process writes the request-level families, labelled {@code model_name} (newer releases add
 * {@code engine_type} and custom labels); its scheduler processes write the state of each scheduler, labelled
 * {@code model_name}, {@code tp_rank}, {@code pp_rank}, {@code moe_ep_rank} and, with data parallelism,
 * {@code dp_rank} (releases of 2024 label them {@code model_name} only). Counter names are given without
 * {@code _total}: a Prometheus text scrape names the family {@code sglang:prompt_tokens_total}, an OpenMetrics one
 * {@code sglang:prompt_tokens}; both are found.
 */
public enum SglangMetric {
  /** Prompt tokens of finished requests. */
  PROMPT_TOKENS(Kind.COUNTER, Process.TOKENIZER, "sglang:prompt_tokens"),
  /** Generated tokens of finished requests. */
  GENERATION_TOKENS(Kind.COUNTER, Process.TOKENIZER, "sglang:generation_tokens"),
  /** Prompt tokens found in the prefix cache (newer releases; may be split by {@code cache_source}). */
  CACHED_TOKENS(Kind.COUNTER, Process.TOKENIZER, "sglang:cached_tokens"),
  /** Finished requests (newer releases). */
  REQUESTS(Kind.COUNTER, Process.TOKENIZER, "sglang:num_requests"),
  /** Abort requests: a client that went away, the abort API (newer releases). */
  ABORTED_REQUESTS(Kind.COUNTER, Process.TOKENIZER, "sglang:num_aborted_requests"),
  /** Time to first token. */
  TIME_TO_FIRST_TOKEN(Kind.HISTOGRAM, Process.TOKENIZER, "sglang:time_to_first_token_seconds"),
  /** Time per output token, observed once per token; renamed from {@code time_per_output_token_seconds}. */
  INTER_TOKEN_LATENCY(Kind.HISTOGRAM, Process.TOKENIZER, "sglang:inter_token_latency_seconds",
      "sglang:time_per_output_token_seconds"),
  /** Arrival to the last token, one observation per finished request. */
  E2E_REQUEST_LATENCY(Kind.HISTOGRAM, Process.TOKENIZER, "sglang:e2e_request_latency_seconds"),
  /** Requests in the running batch. */
  RUNNING_REQUESTS(Kind.GAUGE, Process.SCHEDULER, "sglang:num_running_reqs"),
  /** Requests in the waiting queue. */
  QUEUED_REQUESTS(Kind.GAUGE, Process.SCHEDULER, "sglang:num_queue_reqs"),
  /** Used share of the KV-cache token pool, 0 to 1. */
  TOKEN_USAGE(Kind.GAUGE, Process.SCHEDULER, "sglang:token_usage"),
  /** Tokens held in the KV cache. */
  USED_TOKENS(Kind.GAUGE, Process.SCHEDULER, "sglang:num_used_tokens"),
  /** Size of the KV-cache token pool (newer releases). */
  MAX_TOTAL_TOKENS(Kind.GAUGE, Process.SCHEDULER, "sglang:max_total_num_tokens"),
  /** The scheduler's own prefix-cache hit rate over its recent batches, 0 to 1. */
  CACHE_HIT_RATE(Kind.GAUGE, Process.SCHEDULER, "sglang:cache_hit_rate"),
  /** The scheduler's own decode throughput over its last log interval, tokens per second. */
  GEN_THROUGHPUT(Kind.GAUGE, Process.SCHEDULER, "sglang:gen_throughput"),
  /** Speculative decoding: mean accepted length of recent batches (0 without speculative decoding). */
  SPEC_ACCEPT_LENGTH(Kind.GAUGE, Process.SCHEDULER, "sglang:spec_accept_length"),
  /** Speculative decoding: accepted over drafted tokens of recent batches. */
  SPEC_ACCEPT_RATE(Kind.GAUGE, Process.SCHEDULER, "sglang:spec_accept_rate"),
  /** Time from entering the waiting queue to the first forward pass (newer releases). */
  QUEUE_TIME(Kind.HISTOGRAM, Process.SCHEDULER, "sglang:queue_time_seconds"),
  /** Requests retracted (preempted) to free KV cache (newer releases). */
  RETRACTED_REQUESTS(Kind.COUNTER, Process.SCHEDULER, "sglang:num_retracted_requests");

  /** The family's type. */
  public enum Kind {
    /** A counter: rates over the window. */
    COUNTER,
    /** A gauge: the value now. */
    GAUGE,
    /** A histogram: mean and percentiles over the window. */
    HISTOGRAM
  }

  /** Which SGLang process writes a family, which decides its labels. */
  public enum Process {
    /** The tokenizer manager: request-level families, one series per model. */
    TOKENIZER,
    /** A scheduler: one series per scheduler rank ({@code tp_rank}, {@code pp_rank}, {@code dp_rank}). */
    SCHEDULER
  }

  private final Kind kind;
  private final Process process;
  private final List<String> names;

  SglangMetric(Kind kind, Process process, String... names) {
    this.kind = kind;
    this.process = process;
    this.names = List.of(names);
  }

  /**
   * The family's type.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The process that writes it.
   *
   * @return the process
   */
  public Process process() {
    return process;
  }

  /**
   * Every name the concept has had, newest first; counters without {@code _total}.
   *
   * @return the names
   */
  public List<String> names() {
    return names;
  }

  /** The family names to look for, in order: a counter's with {@code _total} (Prometheus text) and without. */
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
