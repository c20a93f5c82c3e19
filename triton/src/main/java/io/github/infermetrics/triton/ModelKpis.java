package io.github.infermetrics.triton;

import io.github.infermetrics.core.kpi.Bound;
import io.github.infermetrics.core.series.BucketCounts;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One model series' KPIs over a window ({@link TritonKpis#between}). A measure the window could not give (no
 * traffic, a family the server does not expose, a series new in this window) is absent, never 0 and never NaN.
 * Immutable.
 */
public final class ModelKpis {
  private final ModelKey key;
  private final Map<ModelMeasure, Double> values;
  private final Map<String, Double> failureRateByReason;
  private final Map<ModelMeasure, Bound> bounds;
  private final BucketCounts firstResponse;
  private final boolean reset;
  private final boolean isNew;

  ModelKpis(ModelKey key, Map<ModelMeasure, Double> values, Map<String, Double> failureRateByReason,
      boolean reset, boolean isNew) {
    this(key, values, Map.of(), failureRateByReason, reset, isNew);
  }

  ModelKpis(ModelKey key, Map<ModelMeasure, Double> values, Map<ModelMeasure, Bound> bounds,
      Map<String, Double> failureRateByReason, boolean reset, boolean isNew) {
    this(key, values, bounds, failureRateByReason, reset, isNew, null);
  }

  ModelKpis(ModelKey key, Map<ModelMeasure, Double> values, Map<ModelMeasure, Bound> bounds,
      Map<String, Double> failureRateByReason, boolean reset, boolean isNew, BucketCounts firstResponse) {
    this.firstResponse = firstResponse;
    this.key = Objects.requireNonNull(key, "key");
    Map<ModelMeasure, Bound> b = new EnumMap<>(ModelMeasure.class);
    b.putAll(bounds);
    this.bounds = Collections.unmodifiableMap(b);
    Map<ModelMeasure, Double> v = new EnumMap<>(ModelMeasure.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
    this.failureRateByReason = Collections.unmodifiableMap(new LinkedHashMap<>(failureRateByReason));
    this.reset = reset;
    this.isNew = isNew;
  }

  /**
   * The model series.
   *
   * @return the key
   */
  public ModelKey key() {
    return key;
  }

  /**
   * One measure.
   *
   * @param measure which
   * @return its value, or empty when the window could not give it
   */
  public OptionalDouble get(ModelMeasure measure) {
    Double v = values.get(Objects.requireNonNull(measure, "measure"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Whether a measure's value is only a bound: a time-to-first-response percentile that fell in the histogram's
   * first bucket ({@code le="100"} ms by default) or in {@code +Inf}.
   *
   * @param measure which
   * @return the bound (in seconds), or empty when the value is an estimate or absent
   */
  public Optional<Bound> bound(ModelMeasure measure) {
    return Optional.ofNullable(bounds.get(Objects.requireNonNull(measure, "measure")));
  }

  /** The window's first-response histogram, in seconds, when the server has one. */
  Optional<BucketCounts> firstResponse() {
    return Optional.ofNullable(firstResponse);
  }

  /**
   * Every present measure.
   *
   * @return an unmodifiable map in {@link ModelMeasure} order
   */
  public Map<ModelMeasure, Double> values() {
    return values;
  }

  /**
   * Failed requests per second by {@code reason} (Triton about 24.07 and later).
   *
   * @return reason to failures per second; empty when the server has no {@code reason} label or the series is new
   */
  public Map<String, Double> failureRateByReason() {
    return failureRateByReason;
  }

  /**
   * Requests completed per second, successful or failed.
   *
   * @return the rate, or empty
   */
  public OptionalDouble requestRate() {
    return get(ModelMeasure.REQUEST_RATE);
  }

  /**
   * Inferences per second.
   *
   * @return the rate, or empty
   */
  public OptionalDouble inferenceRate() {
    return get(ModelMeasure.INFERENCE_RATE);
  }

  /**
   * Failed over all requests.
   *
   * @return the ratio, or empty without requests
   */
  public OptionalDouble errorRatio() {
    return get(ModelMeasure.ERROR_RATIO);
  }

  /**
   * Mean request time in seconds.
   *
   * @return the mean, or empty without successful requests
   */
  public OptionalDouble requestLatencySeconds() {
    return get(ModelMeasure.REQUEST_LATENCY_MEAN);
  }

  /**
   * Mean queue time in seconds.
   *
   * @return the mean, or empty without successful requests
   */
  public OptionalDouble queueTimeSeconds() {
    return get(ModelMeasure.QUEUE_TIME_MEAN);
  }

  /**
   * Average batch size.
   *
   * @return inferences per execution, or empty without executions
   */
  public OptionalDouble batchSize() {
    return get(ModelMeasure.BATCH_SIZE);
  }

  /**
   * Whether a counter of this series went down in the window: the server restarted (or the model was reloaded),
   * and increases were taken PromQL's way, from zero.
   *
   * @return true after a reset
   */
  public boolean reset() {
    return reset;
  }

  /**
   * Whether the series was not in the previous scrape, so that it has gauges but no rates yet.
   *
   * @return true for a new series
   */
  public boolean isNew() {
    return isNew;
  }

  @Override
  public String toString() {
    return "ModelKpis{" + key + " " + values + (failureRateByReason.isEmpty() ? "" : " failures/s="
        + failureRateByReason) + (reset ? " reset" : "") + (isNew ? " new" : "") + "}";
  }
}
