package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricPoint;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One engine of a {@link VllmSnapshot}: the series of one model (and version, behind Triton) and {@code engine}
 * label. Each accessor reads one {@link VllmMetric} under whichever name the scrape used; a value the scrape does
 * not have is empty.
 *
 * <pre>{@code
 * VllmEngine e = snapshot.engines().get(0);
 * e.kvCacheUsage();                       // 0 to 1, from kv_cache_usage_perc or gpu_cache_usage_perc
 * e.requestSuccess().get("stop");         // finished requests since start
 * e.timeToFirstToken().map(HistogramPoint::count);
 * }</pre>
 */
public final class VllmEngine {
  private final VllmSnapshot snapshot;
  private final Labels key;
  private final Labels raw;

  VllmEngine(VllmSnapshot snapshot, Labels key, Labels raw) {
    this.snapshot = snapshot;
    this.key = key;
    this.raw = raw;
  }

  /**
   * The key: {@code model}, {@code model_version} (Triton) and {@code engine} where the series have them.
   *
   * @return the key labels
   */
  public Labels key() {
    return key;
  }

  /**
   * The served model name ({@code model_name}, or {@code model} behind Triton).
   *
   * @return the name, {@code ""} when the series have none
   */
  public String model() {
    return Objects.requireNonNullElse(key.get(KpiDimension.MODEL), "");
  }

  /**
   * The engine: vLLM's data-parallel index, or under Ray the replica and that index.
   *
   * @return the {@code engine} label; under Ray {@code ReplicaId} (or {@code WorkerId}) and {@code /engine} when
   *     the series have one, for example {@code hx2kq9ab/0}; empty in V0 and behind Triton
   */
  public Optional<String> engine() {
    return Optional.ofNullable(key.get(KpiDimension.ENGINE));
  }

  /**
   * The Ray Serve replica that runs this engine: vLLM's {@code ReplicaId} label, which is the unique id in Ray
   * Serve's own {@code replica} label.
   *
   * @return the replica id; empty outside Ray Serve (and under Ray Data, which sets it empty)
   */
  public Optional<String> rayReplicaId() {
    return Optional.ofNullable(SeriesKeys.rayReplica(raw));
  }

  /**
   * The Ray worker (actor process) that exports this engine's metrics.
   *
   * @return Ray's {@code WorkerId} label; empty outside Ray
   */
  public Optional<String> rayWorkerId() {
    return Optional.ofNullable(SeriesKeys.rayWorker(raw));
  }

  /**
   * The Triton model version.
   *
   * @return the {@code version} label; empty outside Triton
   */
  public Optional<String> modelVersion() {
    return Optional.ofNullable(key.get(KpiDimension.MODEL_VERSION));
  }

  /**
   * The value of a gauge or counter concept: the one series' value, or for a concept with a
   * {@link VllmMetric#detailLabel() detail label} the sum over its values.
   *
   * @param metric a {@link VllmMetric.Kind#GAUGE} or {@link VllmMetric.Kind#COUNTER} concept
   * @return the value, or empty when the scrape does not have it
   */
  public OptionalDouble value(VllmMetric metric) {
    double sum = 0;
    boolean any = false;
    for (MetricPoint p : snapshot.points(metric, key)) {
      double v = p.scalarValue();
      if (!Double.isNaN(v)) {
        sum += v;
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /**
   * The values of a concept by its detail label, such as requests by {@code finished_reason}.
   *
   * @param metric a gauge or counter concept
   * @return detail value to value, in scrape order ({@code ""} for a series without the label); unmodifiable
   */
  public Map<String, Double> valuesBy(VllmMetric metric) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (MetricPoint p : snapshot.points(metric, key)) {
      double v = p.scalarValue();
      if (!Double.isNaN(v)) {
        out.merge(SeriesKeys.detail(p.labels(), metric.detailLabel()), v, Double::sum);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The histogram of a histogram concept.
   *
   * @param metric a {@link VllmMetric.Kind#HISTOGRAM} concept
   * @return the histogram, or empty when the scrape does not have it
   */
  public Optional<HistogramPoint> histogram(VllmMetric metric) {
    for (MetricPoint p : snapshot.points(metric, key)) {
      if (p instanceof HistogramPoint) {
        return Optional.of((HistogramPoint) p);
      }
    }
    return Optional.empty();
  }

  /**
   * Requests being processed.
   *
   * @return the gauge
   */
  public OptionalDouble runningRequests() {
    return value(VllmMetric.REQUESTS_RUNNING);
  }

  /**
   * Requests waiting to be scheduled.
   *
   * @return the gauge
   */
  public OptionalDouble waitingRequests() {
    return value(VllmMetric.REQUESTS_WAITING);
  }

  /**
   * Waiting requests by reason (capacity, deferred); newest vLLM.
   *
   * @return reason to count
   */
  public Map<String, Double> waitingRequestsByReason() {
    return valuesBy(VllmMetric.REQUESTS_WAITING_BY_REASON);
  }

  /**
   * Requests swapped to CPU (V0).
   *
   * @return the gauge
   */
  public OptionalDouble swappedRequests() {
    return value(VllmMetric.REQUESTS_SWAPPED);
  }

  /**
   * The used fraction of the KV cache, 0 to 1.
   *
   * @return the gauge, from {@code kv_cache_usage_perc} or {@code gpu_cache_usage_perc}
   */
  public OptionalDouble kvCacheUsage() {
    return value(VllmMetric.KV_CACHE_USAGE);
  }

  /**
   * The engine's sleep state: the {@code sleep_state} whose gauge is 1.
   *
   * @return for example {@code awake}; empty without the family
   */
  public Optional<String> sleepState() {
    for (Map.Entry<String, Double> e : valuesBy(VllmMetric.ENGINE_SLEEP_STATE).entrySet()) {
      if (e.getValue() >= 1) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /**
   * Prefix-cache lookups since start (tokens; blocks on V1 0.8's {@code gpu_prefix_cache_queries}).
   *
   * @return the counter
   */
  public OptionalDouble prefixCacheQueries() {
    return value(VllmMetric.PREFIX_CACHE_QUERIES);
  }

  /**
   * Prefix-cache hits since start, in the unit of {@link #prefixCacheQueries()}.
   *
   * @return the counter
   */
  public OptionalDouble prefixCacheHits() {
    return value(VllmMetric.PREFIX_CACHE_HITS);
  }

  /**
   * Preemptions since start.
   *
   * @return the counter
   */
  public OptionalDouble preemptions() {
    return value(VllmMetric.PREEMPTIONS);
  }

  /**
   * Prompt tokens since start.
   *
   * @return the counter
   */
  public OptionalDouble promptTokens() {
    return value(VllmMetric.PROMPT_TOKENS);
  }

  /**
   * Prompt tokens by source (local_compute, local_cache_hit, external_kv_transfer).
   *
   * @return source to tokens
   */
  public Map<String, Double> promptTokensBySource() {
    return valuesBy(VllmMetric.PROMPT_TOKENS_BY_SOURCE);
  }

  /**
   * Generated tokens since start.
   *
   * @return the counter
   */
  public OptionalDouble generationTokens() {
    return value(VllmMetric.GENERATION_TOKENS);
  }

  /**
   * Finished requests since start by {@code finished_reason}.
   *
   * @return reason to count
   */
  public Map<String, Double> requestSuccess() {
    return valuesBy(VllmMetric.REQUEST_SUCCESS);
  }

  /**
   * Time to first token.
   *
   * @return the histogram
   */
  public Optional<HistogramPoint> timeToFirstToken() {
    return histogram(VllmMetric.TIME_TO_FIRST_TOKEN);
  }

  /**
   * Inter-token latency, from {@code inter_token_latency_seconds} or {@code time_per_output_token_seconds}.
   *
   * @return the histogram
   */
  public Optional<HistogramPoint> interTokenLatency() {
    return histogram(VllmMetric.INTER_TOKEN_LATENCY);
  }

  /**
   * End-to-end request latency.
   *
   * @return the histogram
   */
  public Optional<HistogramPoint> endToEndLatency() {
    return histogram(VllmMetric.E2E_REQUEST_LATENCY);
  }

  /**
   * Queue time.
   *
   * @return the histogram
   */
  public Optional<HistogramPoint> queueTime() {
    return histogram(VllmMetric.REQUEST_QUEUE_TIME);
  }

  /**
   * The cache configuration of this engine, or the one without an engine key (V0 exposes it unlabelled).
   *
   * @return the info
   */
  public Optional<VllmInfo> cacheConfig() {
    return infoFor(VllmMetric.CACHE_CONFIG_INFO);
  }

  /**
   * The vLLM configuration of this engine (newest vLLM), or the one without an engine key.
   *
   * @return the info
   */
  public Optional<VllmInfo> vllmConfig() {
    return infoFor(VllmMetric.VLLM_CONFIG_INFO);
  }

  private Optional<VllmInfo> infoFor(VllmMetric metric) {
    List<VllmInfo> all = snapshot.info(metric);
    VllmInfo fallback = null;
    for (VllmInfo i : all) {
      if (i.key().equals(key)) {
        return Optional.of(i);
      }
      // an info series labelled with the engine only, or with nothing, still describes this engine
      boolean sameEngine = Objects.equals(i.key().get(KpiDimension.ENGINE), key.get(KpiDimension.ENGINE));
      if (fallback == null && (i.key().isEmpty() || (!i.key().contains(KpiDimension.MODEL) && sameEngine))) {
        fallback = i;
      }
    }
    return Optional.ofNullable(fallback);
  }

  @Override
  public String toString() {
    return "VllmEngine" + key;
  }
}
