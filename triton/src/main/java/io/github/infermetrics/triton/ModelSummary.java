package io.github.infermetrics.triton;

/**
 * The per-model latency summaries Triton exposes with {@code --metrics-config summary_latencies=true}, in
 * microseconds. Their quantiles cover a sliding window of the server process and cannot be aggregated across
 * instances.
 */
public enum ModelSummary {
  /** {@code nv_inference_request_summary_us}; Triton turns it off when the response cache is on. */
  REQUEST("nv_inference_request_summary_us"),
  /** {@code nv_inference_queue_summary_us}. */
  QUEUE("nv_inference_queue_summary_us"),
  /** {@code nv_inference_compute_input_summary_us}. */
  COMPUTE_INPUT("nv_inference_compute_input_summary_us"),
  /** {@code nv_inference_compute_infer_summary_us}. */
  COMPUTE_INFER("nv_inference_compute_infer_summary_us"),
  /** {@code nv_inference_compute_output_summary_us}. */
  COMPUTE_OUTPUT("nv_inference_compute_output_summary_us"),
  /** {@code nv_cache_hit_summary_per_model}. */
  CACHE_HIT("nv_cache_hit_summary_per_model"),
  /** {@code nv_cache_miss_summary_per_model}. */
  CACHE_MISS("nv_cache_miss_summary_per_model");

  private final String familyName;

  ModelSummary(String familyName) {
    this.familyName = familyName;
  }

  /**
   * The family name in the exposition.
   *
   * @return for example {@code nv_inference_queue_summary_us}
   */
  public String familyName() {
    return familyName;
  }
}
