package io.github.infermetrics.cli.loadtest;

import java.util.Arrays;

/**
 * The statistics of a set of measurements: count, mean, p50, p90, p95, p99 and max. Percentiles interpolate linearly
 * between the closest ranks, as {@code numpy.percentile} does by default and so {@code vllm bench serve}: the p-th
 * percentile of n sorted values is at rank {@code (n - 1) * p / 100}, between the values around it. With no
 * values, every statistic is NaN (absent in the report).
 *
 * @param count how many values
 * @param mean the mean
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p95 the 95th percentile
 * @param p99 the 99th percentile
 * @param max the largest value
 */
record Summary(int count, double mean, double p50, double p90, double p95, double p99, double max) {
  /** A summary of nothing. */
  static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
      Double.NaN);

  /**
   * Summarises values (NaN ones are left out).
   *
   * @param values the values; not changed
   * @return the summary
   */
  static Summary of(double[] values) {
    double[] v = Arrays.stream(values).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return EMPTY;
    }
    double sum = 0;
    for (double d : v) {
      sum += d;
    }
    return new Summary(v.length, sum / v.length, percentile(v, 50), percentile(v, 90), percentile(v, 95),
        percentile(v, 99), v[v.length - 1]);
  }

  /**
   * A percentile of sorted values, numpy's linear method.
   *
   * @param sorted ascending, not empty
   * @param p 0 to 100
   * @return the percentile
   */
  static double percentile(double[] sorted, double p) {
    double rank = (sorted.length - 1) * p / 100;
    int lo = (int) Math.floor(rank);
    int hi = Math.min(lo + 1, sorted.length - 1);
    double frac = rank - lo;
    return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
  }

  /**
   * A statistic by its report name.
   *
   * @param name {@code mean}, {@code p50}, {@code p90}, {@code p95}, {@code p99} or {@code max}
   * @return the value
   */
  double get(String name) {
    return switch (name) {
      case "mean" -> mean;
      case "p50" -> p50;
      case "p90" -> p90;
      case "p95" -> p95;
      case "p99" -> p99;
      case "max" -> max;
      default -> throw new IllegalArgumentException("no statistic " + name);
    };
  }

  /** The statistics' names, in report order. */
  static final String[] NAMES = {"mean", "p50", "p90", "p95", "p99", "max"};
}
