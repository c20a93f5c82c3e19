package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one model (over all its schedulers) or one scheduler rank did over a {@link SglangKpis} window. A value the
 * window cannot give (no requests, a family this release does not have, a tokenizer measure on a rank) is empty,
 * never 0 and never NaN.
 *
 * <pre>{@code
 * SglangWindow llama = kpis.model("meta-llama/Llama-3.1-8B-Instruct").orElseThrow();
 * llama.timeToFirstToken().p95();                                  // seconds
 * llama.get(SglangMeasure.GENERATION_TOKEN_RATE);                   // tokens per second, from the counter
 * llama.get(SglangMeasure.SERVER_GENERATION_THROUGHPUT);            // the schedulers' own gauge, beside it
 * }</pre>
 */
public final class SglangWindow {
  private final Labels key;
  private final Map<SglangMeasure, OptionalDouble> measures;
  private final Map<SglangLatency, LatencyStats> latencies;

  SglangWindow(Labels key, Map<SglangMeasure, OptionalDouble> measures,
      Map<SglangLatency, LatencyStats> latencies) {
    this.key = Objects.requireNonNull(key, "key");
    this.measures = Collections.unmodifiableMap(measures.isEmpty() ? new EnumMap<>(SglangMeasure.class)
        : new EnumMap<>(measures));
    this.latencies = Collections.unmodifiableMap(latencies.isEmpty() ? new EnumMap<>(SglangLatency.class)
        : new EnumMap<>(latencies));
  }

  /**
   * The key: {@code model}, and for a rank {@code engine}, {@code tp_rank}, {@code pp_rank}.
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
   * The data-parallel rank of a scheduler rank.
   *
   * @return the engine; empty for a model
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
  public OptionalDouble get(SglangMeasure measure) {
    return measures.getOrDefault(Objects.requireNonNull(measure, "measure"), OptionalDouble.empty());
  }

  /**
   * One latency.
   *
   * @param latency which
   * @return its stats; {@link LatencyStats#ABSENT} when the histogram is not there
   */
  public LatencyStats latency(SglangLatency latency) {
    return latencies.getOrDefault(Objects.requireNonNull(latency, "latency"), LatencyStats.ABSENT);
  }

  /**
   * Time to first token.
   *
   * @return the stats
   */
  public LatencyStats timeToFirstToken() {
    return latency(SglangLatency.TIME_TO_FIRST_TOKEN);
  }

  /**
   * Inter-token latency.
   *
   * @return the stats
   */
  public LatencyStats interTokenLatency() {
    return latency(SglangLatency.INTER_TOKEN_LATENCY);
  }

  /**
   * End-to-end latency.
   *
   * @return the stats
   */
  public LatencyStats endToEndLatency() {
    return latency(SglangLatency.END_TO_END_LATENCY);
  }

  /**
   * Queue time.
   *
   * @return the stats
   */
  public LatencyStats queueTime() {
    return latency(SglangLatency.QUEUE_TIME);
  }

  @Override
  public String toString() {
    return "SglangWindow" + key + measures;
  }
}
