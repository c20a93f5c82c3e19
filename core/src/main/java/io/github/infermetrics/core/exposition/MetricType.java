package io.github.infermetrics.core.exposition;

/**
 * The type of a metric family. Prometheus text {@code untyped} and families without a {@code # TYPE} line are
 * {@link #UNKNOWN}, as in OpenMetrics.
 */
public enum MetricType {
  /** A monotonic counter. */
  COUNTER,
  /** A value that can go up and down. */
  GAUGE,
  /** A histogram with cumulative buckets ({@code _bucket}, {@code _count}, {@code _sum}). */
  HISTOGRAM,
  /** An OpenMetrics gauge histogram ({@code _bucket}, {@code _gcount}, {@code _gsum}). */
  GAUGE_HISTOGRAM,
  /** A summary with quantiles, {@code _count} and {@code _sum}. */
  SUMMARY,
  /** An OpenMetrics info family ({@code _info} samples, value 1). */
  INFO,
  /** An OpenMetrics state set (one sample per state, value 0 or 1). */
  STATESET,
  /** No type, {@code untyped} (Prometheus text) or {@code unknown} (OpenMetrics). */
  UNKNOWN
}
