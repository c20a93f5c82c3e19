package io.github.infermetrics.core.series;

/**
 * A running sum with Neumaier's compensation, the way PromQL's {@code sum} adds the values of a group: the first
 * value is taken as is, each later one adds to the sum and keeps the rounding error apart, and the error is added
 * back at the end. An infinite intermediate sum drops the accumulated error (it would turn into NaN).
 */
final class CompensatedSum {
  private double sum;
  private double compensation;
  private boolean any;

  void add(double v) {
    if (!any) {
      sum = v;
      any = true;
      return;
    }
    double t = sum + v;
    if (Double.isInfinite(t)) {
      compensation = 0;
    } else if (Math.abs(sum) >= Math.abs(v)) {
      compensation += (sum - t) + v;
    } else {
      compensation += (v - t) + sum;
    }
    sum = t;
  }

  boolean isEmpty() {
    return !any;
  }

  /** The sum; NaN when nothing was added. */
  double value() {
    return any ? sum + compensation : Double.NaN;
  }
}
