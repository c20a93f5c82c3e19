package io.github.infermetrics.core.series;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Two snapshots of one target compared series by series over a window: counter rates, gauge values, histogram
 * throughput, means and quantiles, summary quantiles. The model of {@code infermetrics kpi --window SECONDS PREV
 * CURR}; it maps onto the JSON {@code {"window_seconds": S, "series": [{"name": ..., "labels": {...}, "type": ...,
 * ...fields}]}} with one object per {@link SeriesChange}.
 *
 * <pre>{@code
 * SnapshotReader reader = new SnapshotReader();
 * MetricSnapshot before = reader.read(Files.readAllBytes(Path.of("prev.prom")));
 * MetricSnapshot after = reader.read(Files.readAllBytes(Path.of("curr.prom")));
 * SnapshotComparison c = SnapshotComparison.compare(before, after, 15);
 * for (SeriesChange s : c.series("requests_total")) {
 *   System.out.println(s.labels() + " " + s.rate().orElse(Double.NaN) + " inferences/s");
 * }
 * Map<Labels, Double> perModel = c.sumRates("requests_total", Grouping.by("model"));
 * }</pre>
 *
 * <p>Rates are per second of the given window: a counter's {@code rate} is {@link Rates#rate} and equals PromQL
 * {@code irate} when the window is the time between the two scrapes; histogram quantiles are those of
 * {@link BucketCounts#increase}, at {@link #QUANTILES}. Series are listed in the order of the current snapshot,
 * then the stale ones in the order of the previous snapshot. Info and state set families are left out. A series
 * whose family changed type counts as stale and new.
 *
 * @param windowSeconds the time between the two snapshots, in seconds
 * @param series the series, current ones first
 */
public record SnapshotComparison(double windowSeconds, List<SeriesChange> series) {
  /** The quantiles reported for histograms: 0.5, 0.9, 0.95, 0.99. */
  public static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.95, 0.99);

  /**
   * Validates and copies.
   *
   * @param windowSeconds the window, positive and finite
   * @param series the series
   */
  public SnapshotComparison {
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("window must be a positive number of seconds: " + windowSeconds);
    }
    series = List.copyOf(series);
  }

  /**
   * Compares two snapshots of the same target.
   *
   * @param previous the earlier snapshot
   * @param current the later snapshot
   * @param windowSeconds the time between them in seconds
   * @return the comparison
   * @throws IllegalArgumentException when the window is not a positive finite number
   */
  public static SnapshotComparison compare(MetricSnapshot previous, MetricSnapshot current, double windowSeconds) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("window must be a positive number of seconds: " + windowSeconds);
    }
    SeriesTracker tracker = new SeriesTracker();
    tracker.advance(previous);
    SeriesTracker.Step step = tracker.advance(current);
    Map<MetricPoint, SeriesUpdate> byPoint = new IdentityHashMap<>();
    step.continuing().forEach(u -> byPoint.put(u.current(), u));
    step.added().forEach(u -> byPoint.put(u.current(), u));
    List<SeriesChange> out = new ArrayList<>();
    for (MetricFamily f : current.families()) {
      for (MetricPoint p : f.points()) {
        // removed once used: a point object listed twice must not be reported twice
        SeriesUpdate u = byPoint.remove(p);
        if (u != null && reported(u.type())) {
          out.add(u.isNew() ? added(u) : continuing(u, windowSeconds));
        }
      }
    }
    for (SeriesUpdate u : step.stale()) {
      if (reported(u.type())) {
        out.add(change(u, SeriesChange.Status.STALE, false, none(), none(), none(), none(), none(), Map.of(),
            Optional.empty()));
      }
    }
    return new SnapshotComparison(windowSeconds, out);
  }

  /**
   * The series of one family.
   *
   * @param familyName the family name
   * @return its series, in order
   */
  public List<SeriesChange> series(String familyName) {
    List<SeriesChange> out = new ArrayList<>();
    for (SeriesChange c : series) {
      if (c.name().equals(familyName)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * A counter family's rates summed per group: {@code sum by/without (...) (irate(family[w]))}. Series without a
   * rate (new or stale) are left out.
   *
   * @param familyName the counter family
   * @param grouping how to group
   * @return the summed rate per group
   */
  public Map<Labels, Double> sumRates(String familyName, Grouping grouping) {
    Map<Labels, Double> rates = new LinkedHashMap<>();
    for (SeriesChange c : series(familyName)) {
      c.rate().ifPresent(r -> rates.put(c.labels(), r));
    }
    return grouping.sum(rates);
  }

  /**
   * A histogram family's bucket increases summed per group, for
   * {@code histogram_quantile(q, sum by/without (..., le) (irate(family_bucket[w])))}: take
   * {@link BucketCounts#quantile(double)} of each group. Series without buckets (new or stale) are left out.
   *
   * @param familyName the histogram family
   * @param grouping how to group
   * @return the summed buckets per group
   */
  public Map<Labels, BucketCounts> sumHistograms(String familyName, Grouping grouping) {
    Map<Labels, BucketCounts> buckets = new LinkedHashMap<>();
    for (SeriesChange c : series(familyName)) {
      c.buckets().ifPresent(b -> buckets.put(c.labels(), b));
    }
    return grouping.sumHistograms(buckets);
  }

  private static boolean reported(MetricType type) {
    return type != MetricType.INFO && type != MetricType.STATESET;
  }

  private static SeriesChange continuing(SeriesUpdate u, double seconds) {
    SeriesChange.Status status = SeriesChange.Status.CONTINUING;
    switch (u.type()) {
      case COUNTER: {
        double before = ((CounterPoint) u.previous()).value();
        double now = ((CounterPoint) u.current()).value();
        double inc = Rates.increase(before, now);
        return change(u, status, now < before, OptionalDouble.of(inc), OptionalDouble.of(inc / seconds), none(),
            none(), none(), Map.of(), Optional.empty());
      }
      case HISTOGRAM: {
        BucketCounts b = BucketCounts.increase((HistogramPoint) u.previous(), (HistogramPoint) u.current());
        return change(u, status, b.reset(), none(), none(), none(), present(b.count() / seconds), b.mean(),
            quantiles(b), Optional.of(b));
      }
      case SUMMARY: {
        SummaryPoint before = (SummaryPoint) u.previous();
        SummaryPoint now = (SummaryPoint) u.current();
        // as PromQL's rate(x_sum) / rate(x_count): each counter under its own reset rule
        double count = Rates.increase(before.count(), now.count());
        double sum = Rates.increase(before.sum(), now.sum());
        boolean reset = now.count() < before.count() || now.sum() < before.sum();
        OptionalDouble mean = Double.isNaN(count) || Double.isNaN(sum) || count == 0 ? none()
            : OptionalDouble.of(sum / count);
        return change(u, status, reset, none(), none(), none(), present(count / seconds), mean, quantiles(now),
            Optional.empty());
      }
      default:
        return added(u);
    }
  }

  /** The fields that need no previous point. */
  private static SeriesChange added(SeriesUpdate u) {
    SeriesChange.Status status = u.isNew() ? SeriesChange.Status.NEW : SeriesChange.Status.CONTINUING;
    MetricPoint p = u.current();
    switch (u.type()) {
      case GAUGE:
        return change(u, status, false, none(), none(), OptionalDouble.of(((GaugePoint) p).value()), none(), none(),
            Map.of(), Optional.empty());
      case UNKNOWN:
        return change(u, status, false, none(), none(), OptionalDouble.of(((UnknownPoint) p).value()), none(),
            none(), Map.of(), Optional.empty());
      case GAUGE_HISTOGRAM: {
        BucketCounts b = BucketCounts.of((HistogramPoint) p);
        return change(u, status, false, none(), none(), none(), none(), b.mean(), quantiles(b), Optional.of(b));
      }
      case SUMMARY:
        return change(u, status, false, none(), none(), none(), none(), none(), quantiles((SummaryPoint) p),
            Optional.empty());
      default:
        return change(u, status, false, none(), none(), none(), none(), none(), Map.of(), Optional.empty());
    }
  }

  private static SeriesChange change(SeriesUpdate u, SeriesChange.Status status, boolean reset,
      OptionalDouble increase, OptionalDouble rate, OptionalDouble value, OptionalDouble countRate,
      OptionalDouble mean, Map<Double, Double> quantiles, Optional<BucketCounts> buckets) {
    return new SeriesChange(u.familyName(), u.labels(), u.type(), status, reset, increase, rate, value, countRate,
        mean, quantiles, buckets);
  }

  private static Map<Double, Double> quantiles(BucketCounts b) {
    Map<Double, Double> out = new LinkedHashMap<>();
    for (double q : QUANTILES) {
      out.put(q, b.quantile(q));
    }
    return out;
  }

  private static Map<Double, Double> quantiles(SummaryPoint s) {
    Map<Double, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < s.quantileCount(); i++) {
      out.put(s.quantile(i), s.quantileValue(i));
    }
    return out;
  }

  private static OptionalDouble none() {
    return OptionalDouble.empty();
  }

  /** NaN here means an absent _count, not a value: leave the field out. */
  private static OptionalDouble present(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
