package io.github.infermetrics.core.snapshot;

import java.util.Objects;

/**
 * An OpenMetrics exemplar: a sampled observation with its own labels (usually a trace id).
 *
 * @param labels the exemplar's labels
 * @param value the observed value
 * @param timestampMillis when it was observed, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record Exemplar(Labels labels, double value, long timestampMillis) {
  /**
   * Validates.
   *
   * @param labels the exemplar's labels
   * @param value the observed value
   * @param timestampMillis when it was observed, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public Exemplar {
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * Whether the exemplar has a timestamp.
   *
   * @return true when it has one
   */
  public boolean hasTimestamp() {
    return timestampMillis != MetricPoint.NO_TIMESTAMP;
  }
}
