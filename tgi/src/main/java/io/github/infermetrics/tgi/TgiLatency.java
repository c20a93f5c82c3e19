package io.github.infermetrics.tgi;

import io.github.infermetrics.core.kpi.Kpi;
import java.util.Optional;

/**
 * The duration histograms {@link TgiKpis} turns into a mean and percentiles over the window: the request ones for
 * the server, the batch ones per {@code method}.
 */
public enum TgiLatency {
  /** Total time of a request ({@code tgi_request_duration}). */
  END_TO_END_LATENCY("end_to_end_latency", TgiMetric.REQUEST_DURATION, Kpi.END_TO_END_LATENCY),
  /** Time in the queue ({@code tgi_request_queue_duration}). */
  QUEUE_TIME("queue_time", TgiMetric.REQUEST_QUEUE_DURATION, Kpi.QUEUE_TIME),
  /**
   * Each request's mean time per generated token ({@code tgi_request_mean_time_per_token_duration}): one
   * observation per request, so its percentiles are over requests, not over tokens.
   */
  INTER_TOKEN_LATENCY("inter_token_latency", TgiMetric.REQUEST_MEAN_TIME_PER_TOKEN_DURATION,
      Kpi.INTER_TOKEN_LATENCY),
  /** Validation and tokenization ({@code tgi_request_validation_duration}). */
  VALIDATION_TIME("validation_time", TgiMetric.REQUEST_VALIDATION_DURATION, null),
  /** A request's time from its first batch to its end ({@code tgi_request_inference_duration}). */
  INFERENCE_TIME("inference_time", TgiMetric.REQUEST_INFERENCE_DURATION, null),
  /** Model forward time of a batch, per method. */
  BATCH_FORWARD_TIME("batch_forward_time", TgiMetric.BATCH_FORWARD_DURATION, null),
  /** Detokenizing time of a batch, per method. */
  BATCH_DECODE_TIME("batch_decode_time", TgiMetric.BATCH_DECODE_DURATION, null),
  /** Whole inference call of a batch, per method. */
  BATCH_INFERENCE_TIME("batch_inference_time", TgiMetric.BATCH_INFERENCE_DURATION, null),
  /** Filtering a batch and sending its tokens, per method. */
  BATCH_FILTER_TIME("batch_filter_time", TgiMetric.BATCH_FILTER_DURATION, null),
  /** Concatenating new requests into the running batch, per method. */
  BATCH_CONCAT_TIME("batch_concat_time", TgiMetric.BATCH_CONCAT_DURATION, null);

  private final String id;
  private final TgiMetric metric;
  private final Kpi kpi;

  TgiLatency(String id, TgiMetric metric, Kpi kpi) {
    this.id = id;
    this.metric = metric;
    this.kpi = kpi;
  }

  /**
   * The stable identifier, the {@code latency} key of the latency table.
   *
   * @return for example {@code queue_time}
   */
  public String id() {
    return id;
  }

  /**
   * The histogram it comes from.
   *
   * @return the family
   */
  public TgiMetric metric() {
    return metric;
  }

  /**
   * The core KPI it is.
   *
   * @return the KPI, or empty for TGI-only durations
   */
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  /**
   * Whether its values are per batch {@code method}.
   *
   * @return true for the batch durations
   */
  public boolean perMethod() {
    return metric.detailLabel() != null;
  }
}
