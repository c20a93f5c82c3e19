package io.github.infermetrics.tgi;

import io.github.infermetrics.core.series.BucketCounts;
import io.github.infermetrics.core.series.Rates;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The increases of one family's series between two scrapes, with PromQL's counter-reset rule. A series that is only
 * in the later scrape counts from zero: TGI (the Rust metrics crate) writes a series only after its first
 * increment, so a series that appears within the window started at zero within it (what Prometheus does with
 * created-timestamp zero ingestion).
 */
final class SeriesIncreases {
  private boolean reset;

  /** Whether a counter or histogram went down in any family read so far. */
  boolean reset() {
    return reset;
  }

  /** Each counter series' increase, by its labels. */
  Map<Labels, Double> counter(MetricFamily previous, MetricFamily current) {
    Map<Labels, Double> out = new LinkedHashMap<>();
    if (current == null) {
      return out;
    }
    Map<Labels, MetricPoint> before = index(previous);
    for (MetricPoint p : current.points()) {
      double now = p.scalarValue();
      MetricPoint q = before.get(p.labels());
      if (q == null) {
        out.merge(p.labels(), now, Double::sum);
      } else {
        double then = q.scalarValue();
        reset |= now < then;
        out.merge(p.labels(), Rates.increase(then, now), Double::sum);
      }
    }
    return out;
  }

  /** Each histogram series' bucket increases, by its labels. */
  Map<Labels, BucketCounts> histogram(MetricFamily previous, MetricFamily current) {
    Map<Labels, BucketCounts> out = new LinkedHashMap<>();
    if (current == null) {
      return out;
    }
    Map<Labels, MetricPoint> before = index(previous);
    for (MetricPoint p : current.points()) {
      if (!(p instanceof HistogramPoint)) {
        continue;
      }
      HistogramPoint h = (HistogramPoint) p;
      MetricPoint q = before.get(p.labels());
      BucketCounts b = q instanceof HistogramPoint ? BucketCounts.increase((HistogramPoint) q, h)
          : BucketCounts.of(h);
      reset |= b.reset();
      out.put(p.labels(), b);
    }
    return out;
  }

  private static Map<Labels, MetricPoint> index(MetricFamily f) {
    Map<Labels, MetricPoint> m = new HashMap<>();
    if (f != null) {
      for (MetricPoint p : f.points()) {
        m.put(p.labels(), p);
      }
    }
    return m;
  }
}
