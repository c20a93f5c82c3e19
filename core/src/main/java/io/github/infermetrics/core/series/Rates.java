package io.github.infermetrics.core.series;

import java.util.Objects;

/**
 * Counter and gauge arithmetic that gives the numbers Prometheus would show for the same samples.
 *
 * <pre>{@code
 * // two scrapes of requests_total, 15 s apart; the server restarted in between
 * double inc = Rates.increase(1200, 40);        // 40: a decrease is a reset, counting restarts at 0
 * double perSecond = Rates.rate(1200, 40, 15);  // 2.666..., what irate(requests_total[1m]) shows
 *
 * // increase(x[65s]) evaluated at t = 60 s over the samples 100 @ 0 s and 160 @ 60 s: the 60 they differ by,
 * // extrapolated over the 5 s between the range start and the first sample
 * double extrapolated = Rates.extrapolatedIncrease(100, 0, 160, 60_000, -5_000, 60_000);   // 65
 * }</pre>
 *
 * <p>Two families of methods:
 *
 * <ul>
 *   <li>{@link #increase} and {@link #rate}: the change between two consecutive samples, with PromQL's counter
 *       reset rule (a value below the previous one means the counter restarted from zero, so the increase is the
 *       new value). {@code rate(previous, current, seconds)} equals PromQL {@code irate(x[w])} when
 *       {@code previous} and {@code current} are the last two samples in {@code w} and {@code seconds} is the
 *       time between them; {@code increase} equals {@code irate} times that interval (for a counter without a
 *       reset it also equals {@code idelta}).
 *   <li>{@code extrapolated*}: PromQL's {@code increase(x[w])}, {@code rate(x[w])} and {@code delta(x[w])}, which
 *       do not simply subtract: they add up the increases between the samples the range selects (treating any
 *       decrease as a reset), then extrapolate the result towards the range boundaries. A boundary is reached
 *       when the sample nearest to it is closer than 1.1 times the average sample interval; otherwise the
 *       extrapolation stops half an interval beyond the sample. For counters the extrapolation backwards also
 *       stops where the counter would reach zero. The rate divides by the range length, not by the time the
 *       samples span.
 * </ul>
 *
 * <p><b>Which samples a range holds.</b> Prometheus 3 ranges are left-open: {@code x[w]} evaluated at time
 * {@code t} selects the samples with {@code t - w < timestamp <= t}. Prometheus 2 also selected a sample exactly
 * at {@code t - w}. The {@code extrapolated*} methods take the range and the samples it selects: pass
 * {@code rangeStartMillis = t - w} and {@code rangeEndMillis = t}, and only the samples your Prometheus version
 * would select. They accept a first sample exactly at {@code rangeStartMillis} (Prometheus 2 semantics); with
 * Prometheus 3 such a sample is not selected and must not be passed. Consequently, for two scrapes at
 * {@code t1 < t2}, {@code increase(x[w])} at {@code t2} in Prometheus 3 needs {@code w > t2 - t1} to see both, and
 * then extrapolates over {@code w - (t2 - t1)}; only in Prometheus 2 with {@code w = t2 - t1} does it equal the
 * plain {@link #increase}.
 *
 * <p>Values are doubles as in PromQL: a NaN sample makes the result NaN. Methods return NaN where PromQL returns
 * no sample at all (fewer than two samples, no time between them).
 */
public final class Rates {
  private Rates() {}

  /**
   * The increase of a counter between two consecutive samples: {@code current - previous}, or {@code current}
   * when {@code current < previous} (a reset: the counter restarted from zero).
   *
   * @param previous the earlier sample
   * @param current the later sample
   * @return the increase; NaN when either is NaN
   */
  public static double increase(double previous, double current) {
    // the comparison is false for NaN, so NaN flows into the subtraction as in irate
    return current < previous ? current : current - previous;
  }

  /**
   * The per-second rate of a counter between two consecutive samples, {@link #increase} divided by the time
   * between them: PromQL {@code irate}.
   *
   * @param previous the earlier sample
   * @param current the later sample
   * @param seconds the time between the two samples in seconds
   * @return the rate; NaN when {@code seconds} is not positive (PromQL returns no sample) or a value is NaN
   */
  public static double rate(double previous, double current, double seconds) {
    if (!(seconds > 0)) {
      return Double.NaN;
    }
    return increase(previous, current) / seconds;
  }

  /**
   * PromQL {@code increase(x[w])} evaluated at {@code rangeEndMillis} with {@code w = rangeEnd - rangeStart}, when
   * the range selects exactly these two samples.
   *
   * @param firstValue the earlier sample's value
   * @param firstMillis its timestamp
   * @param lastValue the later sample's value
   * @param lastMillis its timestamp
   * @param rangeStartMillis the start of the range (exclusive in Prometheus 3)
   * @param rangeEndMillis the end of the range (the evaluation time, inclusive)
   * @return the extrapolated increase
   * @throws IllegalArgumentException when the timestamps are not increasing or lie outside the range
   */
  public static double extrapolatedIncrease(double firstValue, long firstMillis, double lastValue, long lastMillis,
      long rangeStartMillis, long rangeEndMillis) {
    return extrapolateTwo(firstValue, firstMillis, lastValue, lastMillis, rangeStartMillis, rangeEndMillis, false);
  }

  /**
   * PromQL {@code rate(x[w])} evaluated at {@code rangeEndMillis} with {@code w = rangeEnd - rangeStart}, when the
   * range selects exactly these two samples: {@link #extrapolatedIncrease(double, long, double, long, long, long)}
   * divided by {@code w} in seconds.
   *
   * @param firstValue the earlier sample's value
   * @param firstMillis its timestamp
   * @param lastValue the later sample's value
   * @param lastMillis its timestamp
   * @param rangeStartMillis the start of the range (exclusive in Prometheus 3)
   * @param rangeEndMillis the end of the range (the evaluation time, inclusive)
   * @return the extrapolated per-second rate
   * @throws IllegalArgumentException when the timestamps are not increasing or lie outside the range
   */
  public static double extrapolatedRate(double firstValue, long firstMillis, double lastValue, long lastMillis,
      long rangeStartMillis, long rangeEndMillis) {
    return extrapolateTwo(firstValue, firstMillis, lastValue, lastMillis, rangeStartMillis, rangeEndMillis, true);
  }

  /**
   * PromQL {@code increase(x[w])} evaluated at {@code rangeEndMillis} over the samples the range selects.
   *
   * @param timestampsMillis the samples' timestamps, strictly increasing
   * @param values the samples' values
   * @param rangeStartMillis the start of the range (exclusive in Prometheus 3)
   * @param rangeEndMillis the end of the range (the evaluation time, inclusive)
   * @return the extrapolated increase; NaN with fewer than two samples
   * @throws IllegalArgumentException when the arrays differ in length, the timestamps are not strictly increasing
   *     or lie outside the range
   */
  public static double extrapolatedIncrease(long[] timestampsMillis, double[] values, long rangeStartMillis,
      long rangeEndMillis) {
    return extrapolate(timestampsMillis, values, rangeStartMillis, rangeEndMillis, true, false);
  }

  /**
   * PromQL {@code rate(x[w])} evaluated at {@code rangeEndMillis} over the samples the range selects.
   *
   * @param timestampsMillis the samples' timestamps, strictly increasing
   * @param values the samples' values
   * @param rangeStartMillis the start of the range (exclusive in Prometheus 3)
   * @param rangeEndMillis the end of the range (the evaluation time, inclusive)
   * @return the extrapolated per-second rate; NaN with fewer than two samples
   * @throws IllegalArgumentException when the arrays differ in length, the timestamps are not strictly increasing
   *     or lie outside the range
   */
  public static double extrapolatedRate(long[] timestampsMillis, double[] values, long rangeStartMillis,
      long rangeEndMillis) {
    return extrapolate(timestampsMillis, values, rangeStartMillis, rangeEndMillis, true, true);
  }

  /**
   * PromQL {@code delta(x[w])} of a gauge evaluated at {@code rangeEndMillis} over the samples the range selects:
   * the same extrapolation as {@code increase} without the counter rules (no reset handling, no stop at zero).
   *
   * @param timestampsMillis the samples' timestamps, strictly increasing
   * @param values the samples' values
   * @param rangeStartMillis the start of the range (exclusive in Prometheus 3)
   * @param rangeEndMillis the end of the range (the evaluation time, inclusive)
   * @return the extrapolated change; NaN with fewer than two samples
   * @throws IllegalArgumentException when the arrays differ in length, the timestamps are not strictly increasing
   *     or lie outside the range
   */
  public static double extrapolatedDelta(long[] timestampsMillis, double[] values, long rangeStartMillis,
      long rangeEndMillis) {
    return extrapolate(timestampsMillis, values, rangeStartMillis, rangeEndMillis, false, false);
  }

  private static double extrapolate(long[] t, double[] v, long rangeStart, long rangeEnd, boolean counter,
      boolean perSecond) {
    Objects.requireNonNull(t, "timestampsMillis");
    Objects.requireNonNull(v, "values");
    if (t.length != v.length) {
      throw new IllegalArgumentException(t.length + " timestamps but " + v.length + " values");
    }
    int n = t.length;
    checkRange(rangeStart, rangeEnd);
    for (int i = 0; i < n; i++) {
      checkInRange(t[i], rangeStart, rangeEnd);
      if (i > 0 && t[i] <= t[i - 1]) {
        throw new IllegalArgumentException("timestamps must increase: " + t[i - 1] + " then " + t[i]);
      }
    }
    if (n < 2) {
      return Double.NaN;
    }
    double result = v[n - 1] - v[0];
    if (counter) {
      // every decrease is a reset: the counter went on from zero, so what it had reached before is added back
      double prev = v[0];
      for (int i = 1; i < n; i++) {
        if (v[i] < prev) {
          result += prev;
        }
        prev = v[i];
      }
    }
    return extrapolated(result, v[0], t[0], t[n - 1], n - 1, rangeStart, rangeEnd, counter, perSecond);
  }

  /** PromQL's extrapolated rate or increase from two samples. */
  static double extrapolateTwo(double first, long firstMillis, double last, long lastMillis, long rangeStart,
      long rangeEnd, boolean perSecond) {
    checkRange(rangeStart, rangeEnd);
    checkInRange(firstMillis, rangeStart, rangeEnd);
    checkInRange(lastMillis, rangeStart, rangeEnd);
    if (lastMillis <= firstMillis) {
      throw new IllegalArgumentException("timestamps must increase: " + firstMillis + " then " + lastMillis);
    }
    double result = last - first;
    if (last < first) {
      result += first;
    }
    return extrapolated(result, first, firstMillis, lastMillis, 1, rangeStart, rangeEnd, true, perSecond);
  }

  /**
   * The extrapolation step of PromQL's rate/increase/delta; the operations are kept in Prometheus's order so that
   * the results agree to the last bit.
   */
  private static double extrapolated(double result, double firstValue, long firstT, long lastT, int intervals,
      long rangeStart, long rangeEnd, boolean counter, boolean perSecond) {
    double toStart = (firstT - rangeStart) / 1000.0;
    double toEnd = (rangeEnd - lastT) / 1000.0;
    double sampled = (lastT - firstT) / 1000.0;
    double average = sampled / intervals;
    // a boundary more than 10 % beyond the usual sample spacing means the series starts or ends inside the range
    double threshold = average * 1.1;
    if (toStart >= threshold) {
      toStart = average / 2;
    }
    if (counter && result > 0 && firstValue >= 0) {
      // a counter cannot have been below zero: do not extrapolate backwards past the point it would reach zero
      double toZero = sampled * (firstValue / result);
      if (toZero < toStart) {
        toStart = toZero;
      }
    }
    if (toEnd >= threshold) {
      toEnd = average / 2;
    }
    double factor = (sampled + toStart + toEnd) / sampled;
    if (perSecond) {
      factor /= rangeSeconds(rangeEnd - rangeStart);
    }
    return result * factor;
  }

  /** The range in seconds, computed as Go's {@code time.Duration.Seconds()} does (whole seconds plus fraction). */
  private static double rangeSeconds(long millis) {
    long whole = millis / 1000;
    long nanos = (millis % 1000) * 1_000_000L;
    return whole + nanos / 1e9;
  }

  private static void checkRange(long start, long end) {
    if (end <= start) {
      throw new IllegalArgumentException("empty range: start " + start + " is not before end " + end);
    }
  }

  private static void checkInRange(long t, long start, long end) {
    if (t < start || t > end) {
      throw new IllegalArgumentException("sample at " + t + " is outside the range [" + start + ", " + end + "]");
    }
  }
}
