package io.github.infermetrics.sglang;

import io.github.infermetrics.core.kpi.Kpi;

/** The latency histograms {@link SglangKpis} turns into a mean and percentiles over the window. */
public enum SglangLatency {
  /** Arrival to the first token. */
  TIME_TO_FIRST_TOKEN("time_to_first_token", SglangMetric.TIME_TO_FIRST_TOKEN, Kpi.TIME_TO_FIRST_TOKEN),
  /** Time per output token, per token (SGLang observes each token of a streamed chunk). */
  INTER_TOKEN_LATENCY("inter_token_latency", SglangMetric.INTER_TOKEN_LATENCY, Kpi.INTER_TOKEN_LATENCY),
  /** Arrival to the last token. */
  END_TO_END_LATENCY("end_to_end_latency", SglangMetric.E2E_REQUEST_LATENCY, Kpi.END_TO_END_LATENCY),
  /** Waiting queue to the first forward pass; per scheduler rank as well. */
  QUEUE_TIME("queue_time", SglangMetric.QUEUE_TIME, Kpi.QUEUE_TIME);

  private final String id;
  private final SglangMetric metric;
  private final Kpi kpi;

  SglangLatency(String id, SglangMetric metric, Kpi kpi) {
    this.id = id;
    this.metric = metric;
    this.kpi = kpi;
  }

  /**
   * The stable identifier, the {@code latency} key of the latency tables and the core KPI's id.
   *
   * @return for example {@code time_to_first_token}
   */
  public String id() {
    return id;
  }

  /**
   * The histogram it comes from.
   *
   * @return the concept
   */
  public SglangMetric metric() {
    return metric;
  }

  /**
   * The core KPI it is.
   *
   * @return the KPI
   */
  public Kpi kpi() {
    return kpi;
  }
}
