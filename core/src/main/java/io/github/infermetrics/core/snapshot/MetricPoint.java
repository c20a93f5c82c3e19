package io.github.infermetrics.core.snapshot;

/**
 * One metric point of a family: its labels, its type's values and an optional timestamp.
 *
 * <pre>{@code
 * for (MetricPoint p : family.points()) {
 *   if (p instanceof HistogramPoint h) {
 *     double p99 = ...; // h.upperBound(i), h.cumulativeCount(i)
 *   }
 * }
 * }</pre>
 */
public sealed interface MetricPoint
    permits CounterPoint, GaugePoint, HistogramPoint, SummaryPoint, InfoPoint, StateSetPoint, UnknownPoint {

  /** The value of {@link #timestampMillis()} for a point without a timestamp. */
  long NO_TIMESTAMP = Long.MIN_VALUE;

  /**
   * The point's labels (for histograms without {@code le}, for summaries without {@code quantile}, for state
   * sets without the state label).
   *
   * @return the labels
   */
  Labels labels();

  /**
   * The exposition timestamp in milliseconds since the epoch.
   *
   * @return the timestamp, or {@link #NO_TIMESTAMP}
   */
  long timestampMillis();

  /**
   * Whether the exposition gave the point a timestamp.
   *
   * @return true when it did
   */
  default boolean hasTimestamp() {
    return timestampMillis() != NO_TIMESTAMP;
  }

  /**
   * Whether this is a gauge, counter or untyped point: one number, {@link #scalarValue()}, which may itself be NaN.
   *
   * @return true for those three kinds
   */
  default boolean isScalar() {
    return this instanceof GaugePoint || this instanceof CounterPoint || this instanceof UnknownPoint;
  }

  /**
   * The value of a gauge, counter or untyped point, the one number a sample line gives; NaN for the kinds that hold
   * several (histograms, summaries, info and state sets).
   *
   * @return the value, or NaN
   */
  default double scalarValue() {
    if (this instanceof GaugePoint g) {
      return g.value();
    }
    if (this instanceof CounterPoint c) {
      return c.value();
    }
    if (this instanceof UnknownPoint u) {
      return u.value();
    }
    return Double.NaN;
  }
}
