package io.github.infermetrics.vllm;

/**
 * Which generation of vLLM metric names a scrape uses, judged from the names and labels it has. Dashboards written
 * for one generation come up empty on another; {@link VllmSnapshot} reads all of them.
 */
public enum VllmGeneration {
  /**
   * The V0 engine (up to about 0.10): V0-only families such as {@code num_requests_swapped},
   * {@code cpu_cache_usage_perc}, {@code avg_*_throughput_toks_per_s}, and no {@code engine} label.
   */
  V0,
  /**
   * The V1 engine still exposing deprecated names (about 0.8 to 0.12): {@code gpu_cache_usage_perc},
   * {@code gpu_prefix_cache_*} or {@code time_per_output_token_seconds} next to (or instead of) the new ones.
   */
  V1_DEPRECATED_NAMES,
  /** The V1 engine with current names only ({@code kv_cache_usage_perc}, {@code inter_token_latency_seconds}). */
  V1,
  /** V0-only and V1-only families in one scrape: not one real vLLM (hand-made or merged data). */
  MIXED,
  /** No family that tells the generations apart (or no vLLM families at all). */
  UNKNOWN
}
