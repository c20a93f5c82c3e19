package io.github.infermetrics.triton;

/**
 * The cumulative per-model counters of Triton, one constant per family. Each is optional: a server exposes only
 * the ones its version and {@code --metrics-config} produce.
 */
public enum ModelCounter {
  /** {@code nv_inference_request_success}: successful requests, all batch sizes, cache hits included. */
  REQUEST_SUCCESS(TritonFamilies.REQUEST_SUCCESS),
  /** {@code nv_inference_request_failure}: failed requests, summed over {@code reason} when it is there. */
  REQUEST_FAILURE(TritonFamilies.REQUEST_FAILURE),
  /** {@code nv_inference_count}: inferences (a batch of n counts n), cache hits excluded. */
  INFERENCE_COUNT(TritonFamilies.INFERENCE_COUNT),
  /** {@code nv_inference_exec_count}: model executions (batches), cache hits excluded. */
  EXEC_COUNT(TritonFamilies.EXEC_COUNT),
  /** {@code nv_inference_request_duration_us}: request time in microseconds, cache hits included. */
  REQUEST_DURATION_US(TritonFamilies.REQUEST_DURATION),
  /** {@code nv_inference_queue_duration_us}: queue time in microseconds. */
  QUEUE_DURATION_US(TritonFamilies.QUEUE_DURATION),
  /** {@code nv_inference_compute_input_duration_us}: input preparation time in microseconds. */
  COMPUTE_INPUT_DURATION_US(TritonFamilies.COMPUTE_INPUT_DURATION),
  /** {@code nv_inference_compute_infer_duration_us}: model execution time in microseconds. */
  COMPUTE_INFER_DURATION_US(TritonFamilies.COMPUTE_INFER_DURATION),
  /** {@code nv_inference_compute_output_duration_us}: output handling time in microseconds. */
  COMPUTE_OUTPUT_DURATION_US(TritonFamilies.COMPUTE_OUTPUT_DURATION),
  /** {@code nv_inference_compute_duration_us}: the single compute counter of TRTIS and early Triton. */
  COMPUTE_DURATION_US(TritonFamilies.COMPUTE_DURATION_OLD),
  /** {@code nv_cache_num_hits_per_model}: response cache hits (only with the response cache on). */
  CACHE_HITS(TritonFamilies.CACHE_HITS),
  /** {@code nv_cache_num_misses_per_model}: response cache misses. */
  CACHE_MISSES(TritonFamilies.CACHE_MISSES),
  /** {@code nv_cache_hit_duration_per_model}: time spent on cache hits in microseconds. */
  CACHE_HIT_DURATION_US(TritonFamilies.CACHE_HIT_DURATION),
  /** {@code nv_cache_miss_duration_per_model}: time spent on cache misses (lookup and insertion) in microseconds. */
  CACHE_MISS_DURATION_US(TritonFamilies.CACHE_MISS_DURATION);

  private final String familyName;

  ModelCounter(String familyName) {
    this.familyName = familyName;
  }

  /**
   * The family name in the exposition.
   *
   * @return for example {@code nv_inference_count}
   */
  public String familyName() {
    return familyName;
  }
}
