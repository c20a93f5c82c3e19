package io.github.infermetrics.triton;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything one scrape says about one model series ({@link ModelKey}): the cumulative counters, the failures by
 * {@code reason}, the pending-request and load-duration gauges, the first-response histogram and the latency
 * summaries. Whatever the server does not expose is absent. Immutable.
 */
public final class ModelStats {
  private static final ModelCounter[] COUNTERS = ModelCounter.values();

  static {
    if (COUNTERS.length > Long.SIZE) {
      throw new AssertionError("more counters than bits in the presence mask");
    }
  }

  private final ModelKey key;
  /** Counter values by ordinal, and which of them the server exposes: no map or boxing on the per-scrape path. */
  private final double[] counters;
  private final long present;
  /** Failure series by reason; {@code ""} is a series without the label (Triton before about 24.07). */
  private final Map<String, Double> failureSeries;
  private final OptionalDouble pendingRequests;
  private final OptionalDouble loadDurationSeconds;
  private final HistogramPoint firstResponseMs;
  private final HistogramPoint loadRatio;
  private final Map<ModelSummary, SummaryPoint> summaries;

  private ModelStats(Builder b) {
    this.key = b.key;
    long mask = b.present;
    double[] c = b.counters.clone();
    if (!b.failureSeries.isEmpty()) {
      double sum = 0;
      for (double v : b.failureSeries.values()) {
        sum += v;
      }
      c[ModelCounter.REQUEST_FAILURE.ordinal()] = sum;
      mask |= bit(ModelCounter.REQUEST_FAILURE);
    }
    this.counters = c;
    this.present = mask;
    this.failureSeries = b.failureSeries.isEmpty() ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(b.failureSeries));
    this.pendingRequests = b.pendingRequests;
    this.loadDurationSeconds = b.loadDurationSeconds;
    this.firstResponseMs = b.firstResponseMs;
    this.loadRatio = b.loadRatio;
    Map<ModelSummary, SummaryPoint> s = new EnumMap<>(ModelSummary.class);
    s.putAll(b.summaries);
    this.summaries = Collections.unmodifiableMap(s);
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
   * A cumulative counter's value; {@link ModelCounter#REQUEST_FAILURE} is the sum over reasons.
   *
   * @param counter which one
   * @return the value, or empty when the server does not expose it
   */
  public OptionalDouble counter(ModelCounter counter) {
    return has(Objects.requireNonNull(counter, "counter")) ? OptionalDouble.of(counters[counter.ordinal()])
        : OptionalDouble.empty();
  }

  /** Whether the server exposes this counter. */
  boolean has(ModelCounter counter) {
    return (present & bit(counter)) != 0;
  }

  /** A counter's value; only meaningful when {@link #has} says it is there. */
  double value(ModelCounter counter) {
    return counters[counter.ordinal()];
  }

  private static long bit(ModelCounter counter) {
    return 1L << counter.ordinal();
  }

  /**
   * {@code nv_inference_request_success}.
   *
   * @return successful requests since start, or empty
   */
  public OptionalDouble requestSuccess() {
    return counter(ModelCounter.REQUEST_SUCCESS);
  }

  /**
   * {@code nv_inference_request_failure}, summed over reasons.
   *
   * @return failed requests since start, or empty
   */
  public OptionalDouble requestFailure() {
    return counter(ModelCounter.REQUEST_FAILURE);
  }

  /**
   * {@code nv_inference_count}.
   *
   * @return inferences since start, or empty
   */
  public OptionalDouble inferenceCount() {
    return counter(ModelCounter.INFERENCE_COUNT);
  }

  /**
   * {@code nv_inference_exec_count}.
   *
   * @return executions since start, or empty
   */
  public OptionalDouble execCount() {
    return counter(ModelCounter.EXEC_COUNT);
  }

  /**
   * Failed requests by {@code reason} ({@code REJECTED}, {@code CANCELED}, {@code BACKEND}, {@code OTHER}, or
   * whatever a newer server adds), in exposition order.
   *
   * @return reason to failures since start; empty when the server has no {@code reason} label
   */
  public Map<String, Double> failuresByReason() {
    if (!failureSeries.containsKey("")) {
      return failureSeries;
    }
    Map<String, Double> out = new LinkedHashMap<>(failureSeries);
    out.remove("");
    return Collections.unmodifiableMap(out);
  }

  /** Every failure series including the one without a reason, keyed {@code ""}. */
  Map<String, Double> failureSeries() {
    return failureSeries;
  }

  /**
   * {@code nv_inference_pending_request_count} (Triton 23.09 and later).
   *
   * @return requests waiting in the queue now, or empty
   */
  public OptionalDouble pendingRequests() {
    return pendingRequests;
  }

  /**
   * {@code nv_model_load_duration_secs} (Triton about 24.11 and later).
   *
   * @return how long the model took to load, or empty
   */
  public OptionalDouble loadDurationSeconds() {
    return loadDurationSeconds;
  }

  /**
   * {@code nv_inference_first_response_histogram_ms}, with {@code histogram_latencies=true}.
   *
   * @return time to first response in milliseconds since start, or empty
   */
  public Optional<HistogramPoint> firstResponseHistogramMs() {
    return Optional.ofNullable(firstResponseMs);
  }

  /**
   * {@code nv_inference_load_ratio} of TRTIS and early Triton: request time over compute time.
   *
   * @return the histogram, or empty
   */
  public Optional<HistogramPoint> loadRatioHistogram() {
    return Optional.ofNullable(loadRatio);
  }

  /**
   * One latency summary.
   *
   * @param summary which one
   * @return the summary in microseconds, or empty
   */
  public Optional<SummaryPoint> summary(ModelSummary summary) {
    return Optional.ofNullable(summaries.get(Objects.requireNonNull(summary, "summary")));
  }

  /**
   * The latency summaries the server exposes.
   *
   * @return an unmodifiable map in {@link ModelSummary} order
   */
  public Map<ModelSummary, SummaryPoint> summaries() {
    return summaries;
  }

  @Override
  public String toString() {
    Map<ModelCounter, Double> c = new EnumMap<>(ModelCounter.class);
    for (ModelCounter m : COUNTERS) {
      if (has(m)) {
        c.put(m, value(m));
      }
    }
    return "ModelStats{" + key + " " + c + (failureSeries.isEmpty() ? "" : " failures=" + failureSeries) + "}";
  }

  static Builder builder(ModelKey key) {
    return new Builder(key);
  }

  /** Collects one model's series while a snapshot is read. */
  static final class Builder {
    private final ModelKey key;
    private final double[] counters = new double[COUNTERS.length];
    private long present;
    private final Map<String, Double> failureSeries = new LinkedHashMap<>();
    private OptionalDouble pendingRequests = OptionalDouble.empty();
    private OptionalDouble loadDurationSeconds = OptionalDouble.empty();
    private HistogramPoint firstResponseMs;
    private HistogramPoint loadRatio;
    private final Map<ModelSummary, SummaryPoint> summaries = new EnumMap<>(ModelSummary.class);

    private Builder(ModelKey key) {
      this.key = key;
    }

    Builder counter(ModelCounter c, double value) {
      counters[c.ordinal()] = value;
      present |= bit(c);
      return this;
    }

    Builder failure(String reason, double value) {
      failureSeries.put(reason, value);
      return this;
    }

    Builder pendingRequests(double value) {
      pendingRequests = OptionalDouble.of(value);
      return this;
    }

    Builder loadDurationSeconds(double value) {
      loadDurationSeconds = OptionalDouble.of(value);
      return this;
    }

    Builder firstResponseMs(HistogramPoint h) {
      firstResponseMs = h;
      return this;
    }

    Builder loadRatio(HistogramPoint h) {
      loadRatio = h;
      return this;
    }

    Builder summary(ModelSummary s, SummaryPoint p) {
      summaries.put(s, p);
      return this;
    }

    ModelStats build() {
      return new ModelStats(this);
    }
  }
}
