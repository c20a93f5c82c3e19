package io.github.infermetrics.core.snapshot;

import java.util.Objects;

/**
 * A value of unknown type: Prometheus text {@code untyped}, OpenMetrics {@code unknown}, or a sample without
 * metadata.
 *
 * @param labels the labels
 * @param value the value
 * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record UnknownPoint(Labels labels, double value, long timestampMillis) implements MetricPoint {
  /**
   * Validates.
   *
   * @param labels the labels
   * @param value the value
   * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public UnknownPoint {
    Objects.requireNonNull(labels, "labels");
  }
}
