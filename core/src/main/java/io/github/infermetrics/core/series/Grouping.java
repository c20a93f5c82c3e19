package io.github.infermetrics.core.series;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * PromQL's {@code sum by (...)} and {@code sum without (...)}: which series add up into which group, and the sums
 * themselves, for per-series rates and for histogram buckets.
 *
 * <pre>{@code
 * // a server with two engine replicas: sum(rate(generated_tokens_total[..])) by (model)
 * Map<Labels, Double> tokensPerSecond = Grouping.by("model_name").sum(ratePerSeries);
 *
 * // Triton per GPU: histogram_quantile(0.99, sum without (gpu_uuid) (increase(x_bucket[..])))
 * Map<Labels, BucketCounts> merged = Grouping.without("gpu_uuid").sumHistograms(increasePerSeries);
 * merged.forEach((group, buckets) -> System.out.println(group + " p99=" + buckets.quantile(0.99)));
 * }</pre>
 *
 * <p>A group's labels are, for {@code by}, the listed labels the series has; for {@code without}, all of the
 * series' labels except the listed ones. As in PromQL, a label with an empty value counts as absent. Series are
 * keyed by their labels only (the family name plays no part, as PromQL drops {@code __name__} in aggregations):
 * pass the series of one family.
 *
 * <p>Sums add values in the order the map iterates, with the compensated summation PromQL uses, so they agree
 * with Prometheus to the last bit or within an ulp. Immutable.
 */
public final class Grouping {
  private final boolean without;
  private final String[] names;

  private Grouping(boolean without, String[] names) {
    this.without = without;
    this.names = names;
  }

  /**
   * {@code sum by (labelNames...)}; with no names, everything sums into one group with no labels.
   *
   * @param labelNames the labels to keep
   * @return the grouping
   */
  public static Grouping by(String... labelNames) {
    return new Grouping(false, sortedCopy(labelNames));
  }

  /**
   * {@code sum without (labelNames...)}.
   *
   * @param labelNames the labels to drop
   * @return the grouping
   */
  public static Grouping without(String... labelNames) {
    return new Grouping(true, sortedCopy(labelNames));
  }

  private static String[] sortedCopy(String[] labelNames) {
    String[] copy = labelNames.clone();
    for (String n : copy) {
      Objects.requireNonNull(n, "label name");
    }
    Arrays.sort(copy);
    return copy;
  }

  /**
   * The group a series belongs to.
   *
   * @param series the series' labels
   * @return the group's labels
   */
  public Labels groupOf(Labels series) {
    List<String> pairs = new ArrayList<>(2 * series.size());
    for (int i = 0; i < series.size(); i++) {
      String name = series.name(i);
      String value = series.value(i);
      if (!value.isEmpty() && (Arrays.binarySearch(names, name) >= 0) != without) {
        pairs.add(name);
        pairs.add(value);
      }
    }
    return pairs.isEmpty() ? Labels.EMPTY : Labels.of(pairs.toArray(new String[0]));
  }

  /**
   * Sums values per group, like {@code sum by/without (...) (rate(x[w]))} over the per-series rates.
   *
   * @param valueBySeries each series' value (for example its rate), by the series' labels
   * @return the sum of each group, in the order groups were first seen; unmodifiable
   */
  public Map<Labels, Double> sum(Map<Labels, Double> valueBySeries) {
    Map<Labels, CompensatedSum> groups = new LinkedHashMap<>();
    for (Map.Entry<Labels, Double> e : valueBySeries.entrySet()) {
      groups.computeIfAbsent(groupOf(e.getKey()), g -> new CompensatedSum()).add(e.getValue());
    }
    Map<Labels, Double> out = new LinkedHashMap<>();
    groups.forEach((g, s) -> out.put(g, s.value()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Sums histograms per group bucket by bucket, like {@code sum by/without (..., le) (increase(x_bucket[w]))} (and
   * the same over {@code _count} and {@code _sum}); take {@link BucketCounts#quantile(double)} of a group for
   * {@code histogram_quantile}.
   *
   * <p>In PromQL each bucket is its own series, so series whose bucket layouts differ sum up to the union of
   * their bounds, each bound summing only the series that have it. The result can then be non-monotonic (a bound
   * missing some series' counts) and the quantile repairs it as PromQL does; for meaningful quantiles, sum only
   * series that share their buckets. Likewise a series without {@code _count} or {@code _sum} (NaN) is left out
   * of that sum; the group's count or sum is NaN only when no series has one. {@link BucketCounts#reset()} is set
   * when any series restarted.
   *
   * @param bucketsBySeries each series' buckets (for example {@link BucketCounts#increase}), by the series' labels
   * @return the summed buckets of each group, in the order groups were first seen; unmodifiable
   */
  public Map<Labels, BucketCounts> sumHistograms(Map<Labels, BucketCounts> bucketsBySeries) {
    Map<Labels, HistogramSum> groups = new LinkedHashMap<>();
    for (Map.Entry<Labels, BucketCounts> e : bucketsBySeries.entrySet()) {
      groups.computeIfAbsent(groupOf(e.getKey()), g -> new HistogramSum()).add(e.getValue());
    }
    Map<Labels, BucketCounts> out = new LinkedHashMap<>();
    groups.forEach((g, s) -> out.put(g, s.result()));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Grouping && ((Grouping) o).without == without && Arrays.equals(((Grouping) o).names, names);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + (without ? 1 : 0);
  }

  /**
   * In PromQL syntax.
   *
   * @return {@code by (a, b)} or {@code without (c)}
   */
  @Override
  public String toString() {
    return (without ? "without (" : "by (") + String.join(", ", names) + ")";
  }

  /** One group's running bucket-wise sums. */
  private static final class HistogramSum {
    private final TreeMap<Double, CompensatedSum> buckets = new TreeMap<>();
    private final CompensatedSum count = new CompensatedSum();
    private final CompensatedSum sum = new CompensatedSum();
    private boolean reset;

    void add(BucketCounts b) {
      for (int i = 0; i < b.size(); i++) {
        buckets.computeIfAbsent(b.upperBound(i), k -> new CompensatedSum()).add(b.cumulativeCount(i));
      }
      // an absent _count/_sum is not part of PromQL's sum over the _count/_sum series
      if (!Double.isNaN(b.count())) {
        count.add(b.count());
      }
      if (!Double.isNaN(b.sum())) {
        sum.add(b.sum());
      }
      reset |= b.reset();
    }

    BucketCounts result() {
      double[] bounds = new double[buckets.size()];
      double[] counts = new double[bounds.length];
      int i = 0;
      for (Map.Entry<Double, CompensatedSum> e : buckets.entrySet()) {
        bounds[i] = e.getKey();
        counts[i] = e.getValue().value();
        i++;
      }
      return new BucketCounts(bounds, counts, count.value(), sum.value(), reset);
    }
  }
}
