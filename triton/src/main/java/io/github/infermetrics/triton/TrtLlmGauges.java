package io.github.infermetrics.triton;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The TensorRT-LLM backend's gauges ({@code nv_trt_llm_*}, Triton 23.11 and later) of one model, as maps: family
 * (the name without {@code nv_trt_llm_}, for example {@code request_metrics}) to the value per type label value
 * ({@code request_type}, {@code memory_type}, {@code kv_cache_block_type}, ...). A series with several labels
 * besides the model's is keyed {@code name=value,name=value} in label order; one without is keyed {@code ""}.
 *
 * <pre>{@code
 * nv_trt_llm_request_metrics{model="tensorrt_llm",request_type="active",version="1"} 3
 * nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="used",model="tensorrt_llm",version="1"} 120
 * }</pre>
 *
 * <p>gives {@code requestMetrics().get("active") == 3.0} and {@code kvCacheBlockMetrics().get("used") == 120.0}.
 *
 * <p>Most families are gauges; those of TYPE counter (for example
 * {@code nv_trt_llm_disaggregated_serving_metrics}) are named in {@link #counters()}, and {@link TritonKpis} turns
 * them into rates over the window.
 *
 * @param key the model
 * @param families family suffix to type value to value
 * @param counters the family suffixes whose TYPE is counter
 */
public record TrtLlmGauges(ModelKey key, Map<String, Map<String, Double>> families, Set<String> counters) {
  /**
   * Validates and copies, keeping the order.
   *
   * @param key the model
   * @param families the values
   * @param counters the counter families
   */
  public TrtLlmGauges {
    Objects.requireNonNull(key, "key");
    Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
    families.forEach((f, m) -> copy.put(Objects.requireNonNull(f, "family"),
        Collections.unmodifiableMap(new LinkedHashMap<>(m))));
    families = Collections.unmodifiableMap(copy);
    counters = Set.copyOf(counters);
  }

  /**
   * Gauges only.
   *
   * @param key the model
   * @param families the values
   */
  public TrtLlmGauges(ModelKey key, Map<String, Map<String, Double>> families) {
    this(key, families, Set.of());
  }

  /**
   * Whether a family is a counter (a rate over the window, not a level).
   *
   * @param familySuffix the name without {@code nv_trt_llm_}
   * @return true for TYPE counter
   */
  public boolean isCounter(String familySuffix) {
    return counters.contains(familySuffix);
  }

  /**
   * One family's values.
   *
   * @param familySuffix the name without {@code nv_trt_llm_}
   * @return type value to value; empty when the backend does not expose it
   */
  public Map<String, Double> family(String familySuffix) {
    return families.getOrDefault(familySuffix, Map.of());
  }

  /**
   * {@code nv_trt_llm_request_metrics} by {@code request_type}: waiting, context, scheduled, max, active.
   *
   * @return the values
   */
  public Map<String, Double> requestMetrics() {
    return family("request_metrics");
  }

  /**
   * {@code nv_trt_llm_runtime_memory_metrics} by {@code memory_type}: pinned, gpu, cpu (bytes).
   *
   * @return the values
   */
  public Map<String, Double> runtimeMemoryMetrics() {
    return family("runtime_memory_metrics");
  }

  /**
   * {@code nv_trt_llm_kv_cache_block_metrics} by {@code kv_cache_block_type}: tokens_per, used, free, max,
   * fraction.
   *
   * @return the values
   */
  public Map<String, Double> kvCacheBlockMetrics() {
    return family("kv_cache_block_metrics");
  }

  /**
   * {@code nv_trt_llm_inflight_batcher_metrics} by its type label.
   *
   * @return the values
   */
  public Map<String, Double> inflightBatcherMetrics() {
    return family("inflight_batcher_metrics");
  }

  /**
   * {@code nv_trt_llm_general_metrics} by its type label.
   *
   * @return the values
   */
  public Map<String, Double> generalMetrics() {
    return family("general_metrics");
  }
}
