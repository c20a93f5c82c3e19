package io.github.infermetrics.vllm;

import io.github.infermetrics.core.kpi.Kpi;
import java.util.Optional;

/** The latency histograms {@link VllmKpis} turns into a mean and percentiles over the window. */
public enum VllmLatency {
  /** Time to first token. */
  TIME_TO_FIRST_TOKEN("time_to_first_token", VllmMetric.TIME_TO_FIRST_TOKEN, Kpi.TIME_TO_FIRST_TOKEN),
  /** Time between output tokens. */
  INTER_TOKEN_LATENCY("inter_token_latency", VllmMetric.INTER_TOKEN_LATENCY, Kpi.INTER_TOKEN_LATENCY),
  /** Arrival to last token. */
  END_TO_END_LATENCY("end_to_end_latency", VllmMetric.E2E_REQUEST_LATENCY, Kpi.END_TO_END_LATENCY),
  /** Time in the waiting queue. */
  QUEUE_TIME("queue_time", VllmMetric.REQUEST_QUEUE_TIME, Kpi.QUEUE_TIME),
  /** Prefill phase. */
  PREFILL_TIME("prefill_time", VllmMetric.REQUEST_PREFILL_TIME, null),
  /** Decode phase. */
  DECODE_TIME("decode_time", VllmMetric.REQUEST_DECODE_TIME, null),
  /** Prefill plus decode. */
  INFERENCE_TIME("inference_time", VllmMetric.REQUEST_INFERENCE_TIME, null),
  /** Each request's mean time per output token. */
  TIME_PER_OUTPUT_TOKEN("time_per_output_token", VllmMetric.REQUEST_TIME_PER_OUTPUT_TOKEN, null);

  private final String id;
  private final VllmMetric metric;
  private final Kpi kpi;

  VllmLatency(String id, VllmMetric metric, Kpi kpi) {
    this.id = id;
    this.metric = metric;
    this.kpi = kpi;
  }

  /**
   * The stable identifier, used as the {@code latency} key of the latency tables.
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
  public VllmMetric metric() {
    return metric;
  }

  /**
   * The core KPI it maps onto.
   *
   * @return the KPI, or empty for vLLM-only latencies
   */
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }
}
