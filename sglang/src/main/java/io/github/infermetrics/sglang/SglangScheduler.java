package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The state one SGLang scheduler reports in a scrape: its gauges, under its key ({@code model}, {@code engine} for
 * its {@code dp_rank}, {@code tp_rank}, {@code pp_rank}; {@code model} only on releases that label schedulers with
 * the model alone).
 *
 * <pre>{@code
 * for (SglangScheduler s : SglangSnapshot.of(scrape).schedulers()) {
 *   System.out.println(s.key() + " running " + s.runningRequests() + ", KV " + s.tokenUsage());
 * }
 * }</pre>
 */
public final class SglangScheduler {
  private final Labels key;
  private final Map<SglangMetric, Double> gauges;

  SglangScheduler(Labels key, Map<SglangMetric, Double> gauges) {
    this.key = Objects.requireNonNull(key, "key");
    this.gauges = Collections.unmodifiableMap(gauges.isEmpty() ? new EnumMap<>(SglangMetric.class)
        : new EnumMap<>(gauges));
  }

  /**
   * The key, also the KPI dimensions of the rank's values.
   *
   * @return {@code model}, {@code engine}, {@code tp_rank}, {@code pp_rank} where known
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
   * The data-parallel rank ({@code dp_rank}, {@code "0"} without data parallelism).
   *
   * @return the engine, or empty on releases without rank labels
   */
  public Optional<String> engine() {
    return Optional.ofNullable(key.get(KpiDimension.ENGINE));
  }

  /**
   * One gauge.
   *
   * @param metric a gauge concept
   * @return its value; empty when the scrape does not have it or it is not finite
   */
  public OptionalDouble gauge(SglangMetric metric) {
    Double v = gauges.get(Objects.requireNonNull(metric, "metric"));
    return v == null || !Double.isFinite(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The raw value, possibly not finite; null when absent. */
  Double raw(SglangMetric metric) {
    return gauges.get(metric);
  }

  /**
   * Requests in the running batch.
   *
   * @return the count
   */
  public OptionalDouble runningRequests() {
    return gauge(SglangMetric.RUNNING_REQUESTS);
  }

  /**
   * Requests in the waiting queue.
   *
   * @return the count
   */
  public OptionalDouble queuedRequests() {
    return gauge(SglangMetric.QUEUED_REQUESTS);
  }

  /**
   * Used share of the KV-cache token pool.
   *
   * @return 0 to 1
   */
  public OptionalDouble tokenUsage() {
    return gauge(SglangMetric.TOKEN_USAGE);
  }

  /**
   * The scheduler's own prefix-cache hit rate.
   *
   * @return 0 to 1
   */
  public OptionalDouble cacheHitRate() {
    return gauge(SglangMetric.CACHE_HIT_RATE);
  }

  /**
   * The scheduler's own decode throughput.
   *
   * @return tokens per second
   */
  public OptionalDouble generationThroughput() {
    return gauge(SglangMetric.GEN_THROUGHPUT);
  }

  @Override
  public String toString() {
    return "SglangScheduler" + key + gauges;
  }
}
