package io.github.infermetrics.cli.loadtest;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of one step.
 *
 * <ul>
 *   <li>Latencies, token rates, request and error counts and server goodput come from one window per target from
 *       the end of the step's warm-up to the end of its drain (a scrape at each end): the server's own histograms
 *       over the step, percentiles as PromQL's {@code histogram_quantile} gives them, means exact
 *       ({@code Δsum/Δcount}).
 *   <li>Gauges (KV cache, queue depth, batch size, accelerator use and memory, power, saturation) come from the
 *       pipeline's windows that ended during the measured time: their mean, maximum and trend.
 * </ul>
 *
 * @param available whether any target gave a step window
 * @param ttft the server's time to first token, seconds (count, mean, p50-p99; no max)
 * @param itl inter-token latency, seconds
 * @param e2e end-to-end latency, seconds
 * @param queueTime queue time, seconds
 * @param requests requests the server completed in the step window (its E2E histogram's count); NaN when unknown
 * @param errorsPerSecond failed requests per second; NaN when unknown
 * @param generationTokensPerSecond output tokens per second; NaN when unknown
 * @param promptTokensPerSecond prompt tokens per second; NaN when unknown
 * @param windowSeconds the step window's length; NaN without one
 * @param goodput the server's goodput per objective from its histograms, by objective name
 * @param gauges the gauges over the measured time
 * @param problems why some of it is missing, one line each
 */
record ServerStats(boolean available, Summary ttft, Summary itl, Summary e2e, Summary queueTime, double requests,
    double errorsPerSecond, double generationTokensPerSecond, double promptTokensPerSecond, double windowSeconds,
    Map<String, Double> goodput, Map<ServerSample.Gauge, Spread> gauges, List<String> problems) {

  /** Nothing from the server (no metrics watched, or none came). */
  static ServerStats none(List<String> problems) {
    return new ServerStats(false, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Summary.EMPTY, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Map.of(), Map.of(), problems);
  }

  ServerStats {
    goodput = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(goodput));
    gauges = java.util.Collections.unmodifiableMap(gauges.isEmpty() ? new EnumMap<>(ServerSample.Gauge.class)
        : new EnumMap<>(gauges));
    problems = List.copyOf(problems);
  }

  /**
   * A gauge's spread.
   *
   * @param g the gauge
   * @return its spread, {@link Spread#NONE} when it had no value
   */
  Spread gauge(ServerSample.Gauge g) {
    return gauges.getOrDefault(g, Spread.NONE);
  }

  /**
   * A gauge over the samples of a step.
   *
   * @param mean the mean of its samples
   * @param max the largest sample
   * @param samples how many samples
   * @param slopePerSecond how fast it changed from the first sample to the last, per second (0 with one sample)
   */
  record Spread(double mean, double max, int samples, double slopePerSecond) {
    /** No samples. */
    static final Spread NONE = new Spread(Double.NaN, Double.NaN, 0, Double.NaN);

    /**
     * The spread of samples (seconds, value), in time order.
     *
     * @param times when, seconds
     * @param values the values
     * @return the spread
     */
    static Spread of(double[] times, double[] values) {
      if (values.length == 0) {
        return NONE;
      }
      double sum = 0;
      double max = Double.NEGATIVE_INFINITY;
      for (double v : values) {
        sum += v;
        max = Math.max(max, v);
      }
      int n = values.length;
      double dt = times[n - 1] - times[0];
      return new Spread(sum / n, max, n, dt > 0 ? (values[n - 1] - values[0]) / dt : 0);
    }
  }
}
