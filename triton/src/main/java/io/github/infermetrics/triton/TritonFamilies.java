package io.github.infermetrics.triton;

/**
 * The family names Triton exposes on {@code :8002/metrics}, from core's {@code metric_model_reporter.cc} and
 * {@code metrics.cc} as documented in {@code docs/user_guide/metrics.md}. Counters have no {@code _total} suffix.
 */
final class TritonFamilies {
  static final String PREFIX = "nv_";
  static final String VLLM_PREFIX = "vllm:";
  static final String TRT_LLM_PREFIX = "nv_trt_llm_";

  static final String REQUEST_SUCCESS = "nv_inference_request_success";
  static final String REQUEST_FAILURE = "nv_inference_request_failure";
  static final String INFERENCE_COUNT = "nv_inference_count";
  static final String EXEC_COUNT = "nv_inference_exec_count";
  static final String PENDING_REQUESTS = "nv_inference_pending_request_count";
  static final String LOAD_DURATION = "nv_model_load_duration_secs";
  static final String REQUEST_DURATION = "nv_inference_request_duration_us";
  static final String QUEUE_DURATION = "nv_inference_queue_duration_us";
  static final String COMPUTE_INPUT_DURATION = "nv_inference_compute_input_duration_us";
  static final String COMPUTE_INFER_DURATION = "nv_inference_compute_infer_duration_us";
  static final String COMPUTE_OUTPUT_DURATION = "nv_inference_compute_output_duration_us";
  /** Before the input/infer/output split (TRTIS, early Triton). */
  static final String COMPUTE_DURATION_OLD = "nv_inference_compute_duration_us";
  static final String CACHE_HITS = "nv_cache_num_hits_per_model";
  static final String CACHE_MISSES = "nv_cache_num_misses_per_model";
  static final String CACHE_HIT_DURATION = "nv_cache_hit_duration_per_model";
  static final String CACHE_MISS_DURATION = "nv_cache_miss_duration_per_model";
  static final String FIRST_RESPONSE_HISTOGRAM = "nv_inference_first_response_histogram_ms";
  /** Early Triton: request time over compute time, as a histogram. */
  static final String LOAD_RATIO_OLD = "nv_inference_load_ratio";

  static final String GPU_UTILIZATION = "nv_gpu_utilization";
  static final String GPU_MEMORY_TOTAL = "nv_gpu_memory_total_bytes";
  static final String GPU_MEMORY_USED = "nv_gpu_memory_used_bytes";
  static final String GPU_POWER_USAGE = "nv_gpu_power_usage";
  static final String GPU_POWER_LIMIT = "nv_gpu_power_limit";
  static final String GPU_ENERGY = "nv_energy_consumption";

  static final String CPU_UTILIZATION = "nv_cpu_utilization";
  static final String CPU_MEMORY_TOTAL = "nv_cpu_memory_total_bytes";
  static final String CPU_MEMORY_USED = "nv_cpu_memory_used_bytes";

  static final String PINNED_TOTAL = "nv_pinned_memory_pool_total_bytes";
  static final String PINNED_USED = "nv_pinned_memory_pool_used_bytes";

  static final String CACHE_UTIL = "nv_cache_util";
  static final String CACHE_ENTRIES = "nv_cache_num_entries";
  static final String CACHE_TOTAL_HITS = "nv_cache_num_hits";
  static final String CACHE_TOTAL_MISSES = "nv_cache_num_misses";
  static final String CACHE_LOOKUPS = "nv_cache_num_lookups";
  static final String CACHE_EVICTIONS = "nv_cache_num_evictions";
  static final String CACHE_LOOKUP_DURATION = "nv_cache_lookup_duration";
  static final String CACHE_INSERTION_DURATION = "nv_cache_insertion_duration";

  static final String MODEL = "model";
  static final String VERSION = "version";
  static final String NAMESPACE = "namespace";
  static final String GPU_UUID = "gpu_uuid";
  static final String REASON = "reason";

  private TritonFamilies() {}
}
