package io.github.infermetrics.cli.simulate;

import java.util.Arrays;

/** A cumulative classic histogram over fixed upper bounds (without +Inf). Not thread-safe: its owner locks. */
final class Histogram {
  private final double[] bounds;
  private final long[] counts;
  private double sum;
  private long count;

  Histogram(double... bounds) {
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length + 1];
  }

  void observe(double value) {
    int i = Arrays.binarySearch(bounds, value);
    counts[i >= 0 ? i : -i - 1]++;
    sum += value;
    count++;
  }

  Snapshot snapshot() {
    long[] cumulative = new long[counts.length];
    long running = 0;
    for (int i = 0; i < counts.length; i++) {
      running += counts[i];
      cumulative[i] = running;
    }
    return new Snapshot(bounds, cumulative, sum, count);
  }

  /**
   * A copy for writing.
   *
   * @param bounds the upper bounds without +Inf (shared, never changed)
   * @param cumulative cumulative counts, one more than the bounds: the last is +Inf
   */
  record Snapshot(double[] bounds, long[] cumulative, double sum, long count) {}
}
