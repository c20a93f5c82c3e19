package io.github.infermetrics.core.series;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.Labels;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One series of a {@link SnapshotComparison}: what it did over the window. Which fields are present depends on
 * the type and on whether the series was in both snapshots:
 *
 * <table>
 *   <caption>fields by type</caption>
 *   <tr><th>type</th><th>in both</th><th>new (only in the current snapshot)</th></tr>
 *   <tr><td>counter</td><td>{@code increase}, {@code rate}</td><td>none</td></tr>
 *   <tr><td>gauge, unknown</td><td>{@code value} (current)</td><td>{@code value}</td></tr>
 *   <tr><td>histogram</td><td>{@code countRate}, {@code mean}, {@code quantiles}, {@code buckets} of the
 *       increase</td><td>none</td></tr>
 *   <tr><td>gauge histogram</td><td>{@code mean}, {@code quantiles}, {@code buckets} of the current
 *       state</td><td>the same</td></tr>
 *   <tr><td>summary</td><td>{@code quantiles} (current), {@code countRate}, {@code mean}</td>
 *       <td>{@code quantiles}</td></tr>
 * </table>
 *
 * <p>A stale series (only in the previous snapshot) has no fields. {@code mean} is absent when nothing was
 * observed in the window; quantiles are then NaN, as in PromQL. Present values can be NaN or infinite when the
 * exposition says so (a JSON writer must spell these out, for example as the strings Prometheus uses:
 * {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}).
 *
 * <pre>{@code
 * for (SeriesChange c : comparison.series()) {
 *   out.print(c.name() + c.labels() + " " + c.typeName());
 *   c.rate().ifPresent(r -> out.print(" rate=" + r));
 *   c.quantiles().forEach((q, v) -> out.print(" p" + q + "=" + v));
 * }
 * }</pre>
 *
 * @param name the family name (for an OpenMetrics counter, without {@code _total})
 * @param labels the labels
 * @param type the family's type
 * @param status whether the series was in both snapshots, only the current or only the previous one
 * @param reset whether the series' counter restarted in the window (a counter, or a histogram's or summary's
 *     count, went down)
 * @param increase a counter's increase, with PromQL's reset rule ({@link Rates#increase})
 * @param rate a counter's increase per second of the window
 * @param value a gauge's or unknown's current value
 * @param countRate observations per second of the window (histograms, summaries)
 * @param mean the mean observation in the window, Δsum / Δcount (a gauge histogram: sum / count)
 * @param quantiles quantile to value, in increasing order of quantile; empty when not applicable
 * @param buckets a histogram's bucket increases (a gauge histogram: its current buckets), for aggregation
 */
public record SeriesChange(String name, Labels labels, MetricType type, Status status, boolean reset,
    OptionalDouble increase, OptionalDouble rate, OptionalDouble value, OptionalDouble countRate,
    OptionalDouble mean, Map<Double, Double> quantiles, Optional<BucketCounts> buckets) {

  /** Where the series was. */
  public enum Status {
    /** In both snapshots. */
    CONTINUING,
    /** Only in the current snapshot: no rate can be computed yet. */
    NEW,
    /** Only in the previous snapshot: the series went away. */
    STALE
  }

  /**
   * Validates and copies.
   *
   * @param name the family name
   * @param labels the labels
   * @param type the type
   * @param status the status
   * @param reset whether a counter restarted
   * @param increase a counter's increase
   * @param rate a counter's rate
   * @param value a gauge's value
   * @param countRate observations per second
   * @param mean the mean observation
   * @param quantiles quantile to value
   * @param buckets histogram buckets
   */
  public SeriesChange {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(increase, "increase");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(countRate, "countRate");
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(buckets, "buckets");
    quantiles = Collections.unmodifiableMap(new LinkedHashMap<>(quantiles));
  }

  /**
   * The type as the {@code kpi} JSON spells it.
   *
   * @return {@code counter}, {@code gauge}, {@code histogram} (also for gauge histograms), {@code summary} or
   *     {@code unknown}
   */
  public String typeName() {
    switch (type) {
      case COUNTER:
        return "counter";
      case GAUGE:
        return "gauge";
      case HISTOGRAM:
      case GAUGE_HISTOGRAM:
        return "histogram";
      case SUMMARY:
        return "summary";
      default:
        return "unknown";
    }
  }
}
