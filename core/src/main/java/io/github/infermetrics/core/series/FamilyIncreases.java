package io.github.infermetrics.core.series;

import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The increases of a family's series between two scrapes, with PromQL's counter-reset rule, for sources that read
 * whole families at a time. A series that is only in the later scrape counts from zero: servers whose client
 * libraries write a labelled series only from its first increment (Python's prometheus_client in SGLang, the Rust
 * metrics crate in TGI) started it at zero within the window, which is what Prometheus does with created-timestamp
 * zero ingestion. Remembers whether any family read through it was reset. Not thread-safe: one per window.
 *
 * <pre>{@code
 * FamilyIncreases increases = new FamilyIncreases();
 * Map<Labels, Double> requests = increases.counter(previous.family("requests_total").orElse(null),
 *     current.family("requests_total").orElse(null));
 * Map<Labels, BucketCounts> ttft = increases.histogram(previous.family("ttft_seconds").orElse(null),
 *     current.family("ttft_seconds").orElse(null));
 * boolean restarted = increases.reset();
 * }</pre>
 */
public final class FamilyIncreases {
  private boolean reset;

  /** Increases of no family yet, and no reset. */
  public FamilyIncreases() {}

  /**
   * Whether a counter or histogram went down in any family read so far.
   *
   * @return true after a reset
   */
  public boolean reset() {
    return reset;
  }

  /**
   * Each counter series' increase (series of equal labels summed).
   *
   * @param previous the family in the earlier scrape, or null
   * @param current the family in the later scrape, or null (no increases)
   * @return increase by labels, in the later scrape's order
   */
  public Map<Labels, Double> counter(MetricFamily previous, MetricFamily current) {
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

  /**
   * Each histogram series' bucket increases.
   *
   * @param previous the family in the earlier scrape, or null
   * @param current the family in the later scrape, or null (no increases)
   * @return bucket increases by labels, in the later scrape's order
   */
  public Map<Labels, BucketCounts> histogram(MetricFamily previous, MetricFamily current) {
    Map<Labels, BucketCounts> out = new LinkedHashMap<>();
    if (current == null) {
      return out;
    }
    Map<Labels, MetricPoint> before = index(previous);
    for (MetricPoint p : current.points()) {
      if (!(p instanceof HistogramPoint h)) {
        continue;
      }
      MetricPoint q = before.get(p.labels());
      BucketCounts b = q instanceof HistogramPoint was ? BucketCounts.increase(was, h) : BucketCounts.of(h);
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
