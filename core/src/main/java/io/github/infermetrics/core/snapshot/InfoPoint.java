package io.github.infermetrics.core.snapshot;

import java.util.Objects;

/**
 * An OpenMetrics info point ({@code foo_info{...} 1}): the labels are the information.
 *
 * @param labels the labels
 * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record InfoPoint(Labels labels, long timestampMillis) implements MetricPoint {
  /**
   * Validates.
   *
   * @param labels the labels
   * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public InfoPoint {
    Objects.requireNonNull(labels, "labels");
  }
}
