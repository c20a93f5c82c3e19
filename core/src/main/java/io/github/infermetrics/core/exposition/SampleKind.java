package io.github.infermetrics.core.exposition;

/**
 * The part of its family's metric point that a sample carries, derived from the family type and the sample
 * name's suffix (for example {@code foo_bucket} in histogram {@code foo} is a {@link #BUCKET}).
 */
public enum SampleKind {
  /**
   * The value of a counter ({@code foo_total} in OpenMetrics, {@code foo} in Prometheus text), gauge, unknown,
   * info ({@code foo_info}) or state set sample.
   */
  VALUE,
  /** A histogram or gauge histogram bucket ({@code _bucket}, with an {@code le} label). */
  BUCKET,
  /** A histogram or summary {@code _count}, or a gauge histogram {@code _gcount}. */
  COUNT,
  /** A histogram or summary {@code _sum}, or a gauge histogram {@code _gsum}. */
  SUM,
  /** A summary quantile (the family name itself, with a {@code quantile} label). */
  QUANTILE,
  /** An OpenMetrics {@code _created} sample: the creation time, in seconds since the epoch. */
  CREATED
}
