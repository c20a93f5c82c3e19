package io.github.infermetrics.ray;

import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.LatencyStats;
import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one Ray Serve application, route or deployment did over a {@link RayServeKpis} window. A value the window
 * cannot give (no requests, a family this Ray release does not have) is empty, never 0 and never NaN.
 *
 * <pre>{@code
 * RayServeRow chat = kpis.deployment("llm-app", "LLMServer:Qwen--Qwen3-8B").orElseThrow();
 * chat.get(RayMeasure.ERROR_RATIO);     // exceptions over queries
 * chat.latency().p95();                 // processing latency, seconds
 * chat.model();                         // Optional[Qwen/Qwen3-8B]: the vLLM model its replicas run
 * }</pre>
 */
public final class RayServeRow {
  private final Labels key;
  private final Map<RayMeasure, OptionalDouble> measures;
  private final LatencyStats latency;
  private final BucketCounts latencyMilliseconds;

  RayServeRow(Labels key, Map<RayMeasure, OptionalDouble> measures, BucketCounts latencyMilliseconds,
      double windowSeconds) {
    this.key = Objects.requireNonNull(key, "key");
    this.measures = Collections.unmodifiableMap(measures.isEmpty() ? new EnumMap<>(RayMeasure.class)
        : new EnumMap<>(measures));
    this.latencyMilliseconds = latencyMilliseconds;
    // Ray's histograms are in milliseconds; the latency is in seconds, as every source's
    this.latency = latencyMilliseconds == null ? LatencyStats.ABSENT
        : LatencyStats.of(latencyMilliseconds.scaled(0.001), windowSeconds);
  }

  /**
   * The key: {@code application} (when the release has it) and {@code route} or {@code deployment}, and for a
   * deployment that runs a vLLM model, {@code model}.
   *
   * @return the labels, also the KPI dimensions
   */
  public Labels key() {
    return key;
  }

  /**
   * The Serve application.
   *
   * @return the application; empty before multi-application Serve (and for requests no application matched)
   */
  public Optional<String> application() {
    return Optional.ofNullable(key.get(RayServeKpis.APPLICATION));
  }

  /**
   * The HTTP route of a route row.
   *
   * @return the route; empty for other rows
   */
  public Optional<String> route() {
    return Optional.ofNullable(key.get(RayServeKpis.ROUTE));
  }

  /**
   * The deployment of a deployment row.
   *
   * @return the deployment; empty for other rows
   */
  public Optional<String> deployment() {
    return Optional.ofNullable(key.get(RayServeKpis.DEPLOYMENT));
  }

  /**
   * The vLLM model a deployment's replicas run (Ray Serve LLM), joined from the vLLM engine metrics of the same
   * scrape.
   *
   * @return the {@code model_name}; empty when the deployment runs no vLLM engine this scrape shows
   */
  public Optional<String> model() {
    return Optional.ofNullable(key.get(KpiDimension.MODEL));
  }

  /**
   * One single-valued KPI.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(RayMeasure measure) {
    return measures.getOrDefault(Objects.requireNonNull(measure, "measure"), OptionalDouble.empty());
  }

  /**
   * The row's latency: HTTP request latency for an application or route, processing latency for a deployment.
   *
   * @return the stats, in seconds
   */
  public LatencyStats latency() {
    return latency;
  }

  /** The latency histogram's increase over the window, in Ray's milliseconds; empty without one. */
  Optional<BucketCounts> latencyMilliseconds() {
    return Optional.ofNullable(latencyMilliseconds);
  }

  @Override
  public String toString() {
    return "RayServeRow" + key + measures;
  }
}
