package io.github.infermetrics.core.snapshot;

import java.util.Objects;

/**
 * A counter value, with the OpenMetrics creation time and exemplar when the exposition has them.
 *
 * @param labels the labels
 * @param value the value ({@code foo_total} in OpenMetrics, {@code foo} in Prometheus text)
 * @param createdSeconds the {@code _created} time in seconds since the epoch, or NaN when absent
 * @param exemplar the exemplar, or {@code null}
 * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record CounterPoint(Labels labels, double value, double createdSeconds, Exemplar exemplar,
    long timestampMillis) implements MetricPoint {
  /**
   * Validates.
   *
   * @param labels the labels
   * @param value the value
   * @param createdSeconds the creation time in seconds, or NaN
   * @param exemplar the exemplar, or {@code null}
   * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public CounterPoint {
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * A counter value without creation time, exemplar or timestamp.
   *
   * @param labels the labels
   * @param value the value
   * @return the point
   */
  public static CounterPoint of(Labels labels, double value) {
    return new CounterPoint(labels, value, Double.NaN, null, NO_TIMESTAMP);
  }

  /**
   * Whether the exposition had a {@code _created} sample.
   *
   * @return true when it had one
   */
  public boolean hasCreated() {
    return !Double.isNaN(createdSeconds);
  }
}
