package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one model (summed over its engines) or one engine did over a {@link VllmKpis} window. A value the window
 * cannot give (no requests, a family the server does not expose) is empty, never 0 and never NaN.
 *
 * <pre>{@code
 * VllmWindow qwen = kpis.model("Qwen/Qwen3-8B").orElseThrow();
 * qwen.latency(VllmLatency.TIME_TO_FIRST_TOKEN).p95();   // seconds
 * qwen.get(VllmMeasure.GENERATION_TOKEN_RATE);            // tokens per second
 * qwen.requestRateByReason().get("abort");                // aborted requests per second
 * }</pre>
 */
public final class VllmWindow {
  private final Labels key;
  private final Map<VllmMeasure, OptionalDouble> measures;
  private final Map<VllmLatency, LatencyStats> latencies;
  private final Map<String, Double> requestRateByReason;

  private final Map<VllmLatency, BucketCounts> histograms;

  VllmWindow(Labels key, Map<VllmMeasure, OptionalDouble> measures, Map<VllmLatency, LatencyStats> latencies,
      Map<String, Double> requestRateByReason) {
    this(key, measures, latencies, requestRateByReason, Map.of());
  }

  VllmWindow(Labels key, Map<VllmMeasure, OptionalDouble> measures, Map<VllmLatency, LatencyStats> latencies,
      Map<String, Double> requestRateByReason, Map<VllmLatency, BucketCounts> histograms) {
    this.histograms = Map.copyOf(histograms);
    this.key = Objects.requireNonNull(key, "key");
    Map<VllmMeasure, OptionalDouble> finite = new EnumMap<>(VllmMeasure.class);
    // a server's +Inf gauge (and what is derived from it) is absent here; the snapshot counts the sample as dropped
    measures.forEach((m, v) -> finite.put(m, v.isPresent() && !Double.isFinite(v.getAsDouble())
        ? OptionalDouble.empty() : v));
    this.measures = Collections.unmodifiableMap(finite);
    this.latencies = Collections.unmodifiableMap(new EnumMap<>(latencies));
    this.requestRateByReason = Collections.unmodifiableMap(new LinkedHashMap<>(requestRateByReason));
  }

  /**
   * The window's bucket increases of one latency histogram (summed over engines for a model).
   *
   * @param latency which
   * @return the buckets in seconds, or empty when the scrape has no such histogram
   */
  public Optional<BucketCounts> histogram(VllmLatency latency) {
    return Optional.ofNullable(histograms.get(latency));
  }

  /**
   * The key: {@code model}, {@code model_version} (Triton) and, for an engine, {@code engine}.
   *
   * @return the labels, also the KPI dimensions
   */
  public Labels key() {
    return key;
  }

  /**
   * The served model name.
   *
   * @return the name, {@code ""} when the series have none
   */
  public String model() {
    return Objects.requireNonNullElse(key.get(KpiDimension.MODEL), "");
  }

  /**
   * The engine index.
   *
   * @return the engine; empty for a model summed over its engines
   */
  public Optional<String> engine() {
    return Optional.ofNullable(key.get(KpiDimension.ENGINE));
  }

  /**
   * One single-valued KPI.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(VllmMeasure measure) {
    return measures.getOrDefault(Objects.requireNonNull(measure, "measure"), OptionalDouble.empty());
  }

  /**
   * One latency.
   *
   * @param latency which
   * @return its stats; all empty when nothing was observed
   */
  public LatencyStats latency(VllmLatency latency) {
    return latencies.getOrDefault(Objects.requireNonNull(latency, "latency"), LatencyStats.ABSENT);
  }

  /**
   * Finished requests per second by {@code finished_reason}.
   *
   * @return reason to rate; unmodifiable
   */
  public Map<String, Double> requestRateByReason() {
    return requestRateByReason;
  }

  /**
   * Time to first token.
   *
   * @return the stats
   */
  public LatencyStats timeToFirstToken() {
    return latency(VllmLatency.TIME_TO_FIRST_TOKEN);
  }

  /**
   * Inter-token latency.
   *
   * @return the stats
   */
  public LatencyStats interTokenLatency() {
    return latency(VllmLatency.INTER_TOKEN_LATENCY);
  }

  /**
   * End-to-end latency.
   *
   * @return the stats
   */
  public LatencyStats endToEndLatency() {
    return latency(VllmLatency.END_TO_END_LATENCY);
  }

  /**
   * Queue time.
   *
   * @return the stats
   */
  public LatencyStats queueTime() {
    return latency(VllmLatency.QUEUE_TIME);
  }

  /**
   * Prompt tokens per second.
   *
   * @return the rate
   */
  public OptionalDouble promptTokensPerSecond() {
    return get(VllmMeasure.PROMPT_TOKEN_RATE);
  }

  /**
   * Generated tokens per second.
   *
   * @return the rate
   */
  public OptionalDouble generationTokensPerSecond() {
    return get(VllmMeasure.GENERATION_TOKEN_RATE);
  }

  /**
   * Finished requests per second.
   *
   * @return the rate
   */
  public OptionalDouble requestsPerSecond() {
    return get(VllmMeasure.REQUEST_RATE);
  }

  /**
   * Finished requests per second that were neither aborted nor failed.
   *
   * @return the rate
   */
  public OptionalDouble goodputPerSecond() {
    return get(VllmMeasure.GOODPUT);
  }

  /**
   * Used fraction of the KV cache now.
   *
   * @return 0 to 1
   */
  public OptionalDouble kvCacheUsage() {
    return get(VllmMeasure.KV_CACHE_USAGE);
  }

  @Override
  public String toString() {
    return "VllmWindow" + key + measures;
  }
}
