package io.github.infermetrics.core.kpi;

import java.util.EnumSet;
import java.util.Set;

/**
 * The serving KPIs that every source maps its metrics onto, so that a dashboard or an alarm works the same way for
 * Triton, vLLM and Neuron. Each has a stable {@link #id()}, a {@link #unit()}, the {@link #statistics()} it can have
 * and the {@link KpiDimension dimensions} it is split by.
 *
 * <pre>{@code
 * Kpi.TIME_TO_FIRST_TOKEN.metricName(KpiStatistic.P95);   // "time_to_first_token_seconds_p95"
 * Kpi.REQUEST_RATE.metricName(KpiStatistic.VALUE);        // "request_rate_per_second"
 * }</pre>
 *
 * <p>Latencies come as a mean and percentiles (from histograms, or from summaries where a source only has those);
 * rates are per second over the window between two scrapes; gauges are the current value.
 */
public enum Kpi {
  /** Requests completed per second, successful or not. */
  REQUEST_RATE("request_rate", KpiUnit.PER_SECOND, "Requests completed per second, successful or not"),
  /** Failed requests per second (by {@link KpiDimension#REASON} where the source says why). */
  ERROR_RATE("error_rate", KpiUnit.PER_SECOND, "Failed requests per second"),
  /** Failed requests over all requests in the window. */
  ERROR_RATIO("error_ratio", KpiUnit.RATIO, "Failed requests over all requests in the window"),
  /** Time from request arrival to the first output token (or first response). */
  TIME_TO_FIRST_TOKEN("time_to_first_token", KpiUnit.SECONDS, "Time from request arrival to the first token"),
  /** Time between consecutive output tokens. */
  INTER_TOKEN_LATENCY("inter_token_latency", KpiUnit.SECONDS, "Time between consecutive output tokens"),
  /** Time from request arrival to the last token (the whole request). */
  END_TO_END_LATENCY("end_to_end_latency", KpiUnit.SECONDS, "Time from request arrival to completion"),
  /** Time a request waits before it is scheduled. */
  QUEUE_TIME("queue_time", KpiUnit.SECONDS, "Time a request waits before it is scheduled"),
  /** Prompt (input) tokens processed per second. */
  PROMPT_TOKEN_RATE("prompt_token_rate", KpiUnit.PER_SECOND, "Prompt (input) tokens processed per second"),
  /** Generated (output) tokens per second. */
  GENERATION_TOKEN_RATE("generation_token_rate", KpiUnit.PER_SECOND, "Generated (output) tokens per second"),
  /** Requests (or inferences) per model execution. */
  BATCH_SIZE("batch_size", KpiUnit.COUNT, "Inferences per model execution"),
  /** Busy fraction of the accelerator (GPU, NeuronCore). */
  ACCELERATOR_UTILIZATION("accelerator_utilization", KpiUnit.RATIO, "Busy fraction of the accelerator"),
  /** Accelerator memory in use. */
  ACCELERATOR_MEMORY_USED("accelerator_memory_used", KpiUnit.BYTES, "Accelerator memory in use"),
  /** Accelerator memory in total. */
  ACCELERATOR_MEMORY_TOTAL("accelerator_memory_total", KpiUnit.BYTES, "Accelerator memory in total"),
  /** Used fraction of the KV cache. */
  KV_CACHE_USAGE("kv_cache_usage", KpiUnit.RATIO, "Used fraction of the KV cache"),
  /** Power drawn by the accelerator. */
  POWER("power", KpiUnit.WATTS, "Power drawn by the accelerator"),
  /**
   * Requests waiting to be scheduled now (vLLM's and SGLang's waiting requests, TGI's queue size, Ray Serve's queued
   * queries, Triton's pending requests): what autoscalers on queue depth read.
   */
  QUEUE_DEPTH("queue_depth", KpiUnit.COUNT, "Requests waiting to be scheduled"),
  /**
   * The share of the window's requests that met a service-level objective (for example time to first token at most
   * 500 ms), from the servers' own histograms; split by {@link KpiDimension#SLO}.
   */
  SLO_GOODPUT("slo_goodput", KpiUnit.RATIO, "Share of requests that met the service-level objective"),
  /**
   * How close a model's servers are to their limit, 0 to 1: the largest of queue pressure, KV-cache use and
   * accelerator use where known (see the README's "Saturation"), for autoscalers.
   */
  SATURATION("saturation", KpiUnit.RATIO, "How close the server is to its limit, 0 to 1"),
  /**
   * Accelerators counted (whole GPUs, MIG instances, NeuronCores): per node, per pod, or the GPUs a model server's
   * pod holds.
   */
  ACCELERATOR_COUNT("accelerator_count", KpiUnit.COUNT, "Accelerators counted (GPUs, MIG instances, cores)"),
  /**
   * Mean power drawn by the accelerators over the window, from their energy counter (Δenergy / window), unlike
   * {@link #POWER}, which is the reading at the end of the window.
   */
  AVERAGE_POWER("power_average", KpiUnit.WATTS, "Mean power drawn by the accelerator over the window"),
  /**
   * Generated (output) tokens per second per accelerator a model server holds: {@link #GENERATION_TOKEN_RATE} over
   * {@link #ACCELERATOR_COUNT}.
   */
  GENERATION_TOKENS_PER_ACCELERATOR("generation_tokens_per_accelerator", KpiUnit.PER_SECOND,
      "Generated tokens per second per accelerator"),
  /** Generated (output) tokens per joule the accelerators drew over the window. */
  GENERATION_TOKENS_PER_JOULE("generation_tokens_per_joule", KpiUnit.COUNT,
      "Generated tokens per joule the accelerators drew"),
  /**
   * What a million generated (output) tokens cost at the window's rate, from a price per accelerator-hour the user
   * gives.
   */
  COST_PER_MILLION_TOKENS("cost_per_million_tokens", KpiUnit.DOLLARS,
      "Cost of a million generated tokens at a given price per accelerator-hour");

  private static final Set<KpiStatistic> DISTRIBUTION = EnumSet.of(KpiStatistic.MEAN, KpiStatistic.P50,
      KpiStatistic.P90, KpiStatistic.P95, KpiStatistic.P99);
  private static final Set<KpiStatistic> SINGLE = EnumSet.of(KpiStatistic.VALUE);
  private static final Set<KpiStatistic> DISTRIBUTION_VIEW = java.util.Collections.unmodifiableSet(DISTRIBUTION);
  private static final Set<KpiStatistic> SINGLE_VIEW = java.util.Collections.unmodifiableSet(SINGLE);

  private final String id;
  private final KpiUnit unit;
  private final String description;

  Kpi(String id, KpiUnit unit, String description) {
    this.id = id;
    this.unit = unit;
    this.description = description;
  }

  /**
   * The stable identifier.
   *
   * @return for example {@code time_to_first_token}
   */
  public String id() {
    return id;
  }

  /**
   * The unit of its values.
   *
   * @return the unit
   */
  public KpiUnit unit() {
    return unit;
  }

  /**
   * One line saying what it measures.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The statistics this KPI has: mean and percentiles for latencies, the value for everything else.
   *
   * @return an unmodifiable set
   */
  public Set<KpiStatistic> statistics() {
    return unit == KpiUnit.SECONDS ? DISTRIBUTION_VIEW : SINGLE_VIEW;
  }

  /**
   * The name of one statistic of this KPI as a metric: the id, the unit (Prometheus style, left out for counts
   * and when the id already ends with it) and the statistic. EMF, CloudWatch, JSON output and the Micrometer
   * binder all use it.
   *
   * @param statistic one of {@link #statistics()}
   * @return for example {@code time_to_first_token_seconds_p95}, {@code kv_cache_usage_ratio}, {@code batch_size}
   * @throws IllegalArgumentException when the KPI has no such statistic
   */
  public String metricName(KpiStatistic statistic) {
    if (!statistics().contains(statistic)) {
      throw new IllegalArgumentException(id + " has no statistic " + statistic + "; it has " + statistics());
    }
    return Measure.name(id, unit, statistic);
  }

  /**
   * The name of one statistic of this KPI as a Micrometer meter: the id and the statistic, dotted, without the
   * unit, which goes to {@code baseUnit} ({@link KpiUnit#meterBaseUnit()}) so that each registry's naming
   * convention places it.
   *
   * @param statistic one of {@link #statistics()}
   * @return for example {@code time.to.first.token.p95}
   */
  public String meterName(KpiStatistic statistic) {
    if (!statistics().contains(statistic)) {
      throw new IllegalArgumentException(id + " has no statistic " + statistic + "; it has " + statistics());
    }
    return Measure.meterName(id, statistic);
  }
}
