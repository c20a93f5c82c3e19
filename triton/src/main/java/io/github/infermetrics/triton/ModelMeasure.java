package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * What {@link TritonKpis} computes per model series over a window. Per-request averages divide by the successful
 * requests of the window, because Triton adds to its duration counters (and summaries) only when a request
 * succeeds; compute times divide by the successful requests that were not response-cache hits.
 */
public enum ModelMeasure implements Measure {
  /** Requests completed per second, successful or failed: Δ(success + Σ failure) / window. */
  REQUEST_RATE(Kpi.REQUEST_RATE, KpiStatistic.VALUE, "REQ/S"),
  /** Successful requests per second. */
  SUCCESS_RATE("success_rate", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "OK/S"),
  /** Failed requests per second, all reasons (a core KPI; split by {@code reason} in the KPI set where Triton says why). */
  ERROR_RATE(Kpi.ERROR_RATE, KpiStatistic.VALUE, "ERR/S"),
  /** Failed over all requests of the window. */
  ERROR_RATIO(Kpi.ERROR_RATIO, KpiStatistic.VALUE, "ERR RATIO"),
  /** Inferences per second (a batch of n counts n), cache hits excluded. */
  INFERENCE_RATE("inference_rate", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "INF/S"),
  /** Model executions per second. */
  EXECUTION_RATE("execution_rate", KpiUnit.PER_SECOND, KpiStatistic.VALUE, "EXEC/S"),
  /** Mean request time: Δrequest_duration / Δsuccess. */
  REQUEST_LATENCY_MEAN(Kpi.END_TO_END_LATENCY, KpiStatistic.MEAN, "LAT s"),
  /** Median request time from the request summary (the server's sliding window). */
  REQUEST_LATENCY_P50(Kpi.END_TO_END_LATENCY, KpiStatistic.P50, "LAT p50"),
  /** 90th percentile request time from the request summary. */
  REQUEST_LATENCY_P90(Kpi.END_TO_END_LATENCY, KpiStatistic.P90, "LAT p90"),
  /** 95th percentile request time from the request summary. */
  REQUEST_LATENCY_P95(Kpi.END_TO_END_LATENCY, KpiStatistic.P95, "LAT p95"),
  /** 99th percentile request time from the request summary. */
  REQUEST_LATENCY_P99(Kpi.END_TO_END_LATENCY, KpiStatistic.P99, "LAT p99"),
  /** Mean queue time: Δqueue_duration / Δsuccess. */
  QUEUE_TIME_MEAN(Kpi.QUEUE_TIME, KpiStatistic.MEAN, "QUEUE s"),
  /** Mean input preparation time per computed request. */
  COMPUTE_INPUT_MEAN("compute_input", KpiUnit.SECONDS, KpiStatistic.MEAN, "IN s"),
  /** Mean model execution time per computed request. */
  COMPUTE_INFER_MEAN("compute_infer", KpiUnit.SECONDS, KpiStatistic.MEAN, "INFER s"),
  /** Mean output handling time per computed request. */
  COMPUTE_OUTPUT_MEAN("compute_output", KpiUnit.SECONDS, KpiStatistic.MEAN, "OUT s"),
  /** Mean compute time per computed request: input + infer + output, or the old single compute counter. */
  COMPUTE_MEAN("compute", KpiUnit.SECONDS, KpiStatistic.MEAN, "COMPUTE s"),
  /** Share of the request time spent queued: Δqueue_duration / Δrequest_duration. */
  QUEUE_SHARE("queue_share", KpiUnit.RATIO, KpiStatistic.VALUE, "QUEUE SHARE"),
  /** Request time over compute time (the old {@code nv_inference_load_ratio}). */
  LOAD_RATIO("load", KpiUnit.RATIO, KpiStatistic.VALUE, "LOAD RATIO"),
  /** Average batch size: Δinference_count / Δexec_count. */
  BATCH_SIZE(Kpi.BATCH_SIZE, KpiStatistic.VALUE, "BATCH"),
  /** Successful requests per execution: Δsuccess / Δexec_count. */
  REQUESTS_PER_EXECUTION("requests_per_execution", KpiUnit.COUNT, KpiStatistic.VALUE, "REQ/EXEC"),
  /** Response cache hits over lookups: Δhits / (Δhits + Δmisses). */
  CACHE_HIT_RATIO("cache_hit", KpiUnit.RATIO, KpiStatistic.VALUE, "CACHE HIT"),
  /** Mean time to first response from the first-response histogram. */
  TIME_TO_FIRST_RESPONSE_MEAN(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.MEAN, "TTFT s"),
  /** Median time to first response ({@code histogram_quantile} over the window's bucket increases). */
  TIME_TO_FIRST_RESPONSE_P50(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P50, "TTFT p50"),
  /** 90th percentile time to first response. */
  TIME_TO_FIRST_RESPONSE_P90(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P90, "TTFT p90"),
  /** 95th percentile time to first response. */
  TIME_TO_FIRST_RESPONSE_P95(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P95, "TTFT p95"),
  /** 99th percentile time to first response. */
  TIME_TO_FIRST_RESPONSE_P99(Kpi.TIME_TO_FIRST_TOKEN, KpiStatistic.P99, "TTFT p99"),
  /** Requests waiting in the queue at the end of the window: the shared queue depth autoscalers read. */
  PENDING_REQUESTS(Kpi.QUEUE_DEPTH, KpiStatistic.VALUE, "PENDING"),
  /** How long the model took to load. */
  LOAD_DURATION("model_load_duration", KpiUnit.SECONDS, KpiStatistic.VALUE, "LOAD s");

  private final String id;
  private final KpiUnit unit;
  private final String header;
  private final Kpi kpi;
  private final KpiStatistic statistic;

  ModelMeasure(String id, KpiUnit unit, KpiStatistic statistic, String header) {
    this.id = id;
    this.unit = unit;
    this.header = header;
    this.kpi = null;
    this.statistic = statistic;
  }

  ModelMeasure(Kpi kpi, KpiStatistic statistic, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.header = header;
    this.kpi = kpi;
    this.statistic = statistic;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  @Override
  public KpiStatistic statistic() {
    return statistic;
  }
}
