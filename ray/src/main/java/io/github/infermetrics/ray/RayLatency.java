package io.github.infermetrics.ray;

import io.github.infermetrics.core.kpi.Kpi;
import java.util.Optional;

/** The latency histograms {@link RayServeKpis} turns into a mean and percentiles in seconds. */
public enum RayLatency {
  /** End-to-end latency of HTTP requests at the Serve proxy: the core KPI for applications and routes. */
  HTTP_REQUEST("end_to_end_latency", RayServeMetric.HTTP_REQUEST_LATENCY, Kpi.END_TO_END_LATENCY),
  /** Time a deployment's replicas took to process a query. */
  PROCESSING("processing_latency", RayServeMetric.DEPLOYMENT_PROCESSING_LATENCY, null);

  private final String id;
  private final RayServeMetric metric;
  private final Kpi kpi;

  RayLatency(String id, RayServeMetric metric, Kpi kpi) {
    this.id = id;
    this.metric = metric;
    this.kpi = kpi;
  }

  /**
   * The measure id.
   *
   * @return {@code end_to_end_latency} or {@code processing_latency}
   */
  public String id() {
    return id;
  }

  /**
   * The histogram it comes from (in milliseconds).
   *
   * @return the metric
   */
  public RayServeMetric metric() {
    return metric;
  }

  /**
   * The core KPI it is.
   *
   * @return {@link Kpi#END_TO_END_LATENCY} for HTTP requests; empty for processing
   */
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }
}
