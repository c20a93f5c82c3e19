package io.github.infermetrics.core.snapshot;

import java.util.Objects;

/**
 * A gauge value.
 *
 * @param labels the labels
 * @param value the value
 * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record GaugePoint(Labels labels, double value, long timestampMillis) implements MetricPoint {
  /**
   * Validates.
   *
   * @param labels the labels
   * @param value the value
   * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public GaugePoint {
    Objects.requireNonNull(labels, "labels");
  }
}
