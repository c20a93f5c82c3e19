package io.github.infermetrics.core.micrometer;

import io.github.infermetrics.core.internal.text.FloatFormats;
import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.HistogramPoint;
import io.github.infermetrics.core.snapshot.InfoPoint;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.StateSetPoint;
import io.github.infermetrics.core.snapshot.SummaryPoint;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.Objects;

/**
 * Re-exposes the series of a scraped target as Micrometer meters, kept up to date scrape after scrape.
 *
 * <pre>{@code
 * ScrapedMetrics triton = new ScrapedMetrics(Tags.of("pod", "triton-0"));
 * triton.bindTo(registry);
 * scheduler.schedule(target, Duration.ofSeconds(10), result -> {
 *   if (result.up()) {
 *     triton.update(result.snapshot());
 *   }
 * });
 * }</pre>
 *
 * <p>Each series becomes a meter named like the exposition's sample, tagged with its labels and the extra tags:
 * <ul>
 *   <li>a counter becomes a {@link io.micrometer.core.instrument.FunctionCounter} named after the family without {@code _total} (Micrometer's
 *       Prometheus naming adds it back), reading the last scraped value;
 *   <li>a gauge, an unknown value, an info (value 1) and each state of a state set become {@link io.micrometer.core.instrument.Gauge}s;
 *   <li>a histogram becomes gauges {@code <name>_bucket} (tagged {@code le}), {@code <name>_count} and
 *       {@code <name>_sum}; a summary becomes gauges {@code <name>} (tagged {@code quantile}), {@code <name>_count}
 *       and {@code <name>_sum}: Micrometer has no meter for another process's histogram, and gauges keep the
 *       values exact. Micrometer's Prometheus registry, through client_java's naming, drops the reserved
 *       {@code _bucket} suffix from a gauge's name, so there the buckets appear as {@code <name>{le="..."}}:
 *       cumulative counts with their {@code le} label, which is all PromQL's {@code histogram_quantile} needs
 *       ({@code histogram_quantile(0.95, sum by (le) (rate(<name>{le!=""}[5m])))}).
 * </ul>
 * The {@code <name>_created} families that Python's prometheus_client writes beside each counter, histogram and
 * summary in the text format (vLLM, neuron-monitor-prometheus) hold creation timestamps, not measurements: they are
 * left out, as Prometheus leaves them out by default, and counted in {@link #createdSkipped()}.
 * A series that is no longer in the latest snapshot (it went stale) has its meters removed from every bound
 * registry. A meter a registry refuses (for example because Prometheus wants one set of tag keys per name) is
 * counted in {@link #rejectedMeters()} and skipped; an update never throws.
 *
 * <p>Thread-safe: {@link #update(MetricSnapshot)} may run on the scraper's threads while registries read.
 * {@link #close()} removes every meter.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class ScrapedMetrics implements MeterBinder, AutoCloseable {
  private final Object lock = new Object();
  private final MeterSet meters;
  private long generation;
  private long createdSkipped;

  private record Key(String name, Labels labels) {}

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter, for example the pod
   */
  public ScrapedMetrics(Iterable<Tag> extraTags) {
    this.meters = new MeterSet(Tags.of(Objects.requireNonNull(extraTags, "extraTags")));
  }

  /** A binder without extra tags. */
  public ScrapedMetrics() {
    this(Tags.empty());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      meters.bindTo(registry);
    }
  }

  /**
   * Takes the values of a new snapshot: updates the meters of known series, registers meters for new ones and
   * removes the meters of series that are gone.
   *
   * @param snapshot the target's latest snapshot
   */
  public void update(MetricSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    synchronized (lock) {
      long gen = ++generation;
      for (MetricFamily f : snapshot.families()) {
        if (isCreatedTimestamps(f, snapshot)) {
          createdSkipped += f.points().size();
          continue;
        }
        for (MetricPoint p : f.points()) {
          point(f, p, gen);
        }
      }
      meters.removeIf(v -> v.lastUpdate != gen);
    }
  }

  /**
   * Number of exposed samples (each has one meter per bound registry).
   *
   * @return the count
   */
  public int seriesCount() {
    synchronized (lock) {
      return meters.size();
    }
  }

  /**
   * Samples of {@code <name>_created} families left out so far (creation timestamps of the counter, histogram or
   * summary {@code <name>}, not measurements).
   *
   * @return the count, over all updates
   */
  public long createdSkipped() {
    synchronized (lock) {
      return createdSkipped;
    }
  }

  /**
   * Meters a registry refused so far.
   *
   * @return the count
   */
  public long rejectedMeters() {
    synchronized (lock) {
      return meters.rejected();
    }
  }

  /** Removes every meter from every registry. */
  @Override
  public void close() {
    synchronized (lock) {
      meters.clear();
    }
  }

  private void point(MetricFamily f, MetricPoint p, long gen) {
    String name = f.name();
    String help = f.help();
    if (p instanceof CounterPoint) {
      String base = f.type() == MetricType.COUNTER && name.endsWith("_total")
          ? name.substring(0, name.length() - "_total".length()) : name;
      put(base, p.labels(), ((CounterPoint) p).value(), true, help, gen);
    } else if (p instanceof GaugePoint) {
      put(name, p.labels(), ((GaugePoint) p).value(), false, help, gen);
    } else if (p instanceof UnknownPoint) {
      put(name, p.labels(), ((UnknownPoint) p).value(), false, help, gen);
    } else if (p instanceof InfoPoint) {
      put(name + "_info", p.labels(), 1, false, help, gen);
    } else if (p instanceof StateSetPoint) {
      for (Map.Entry<String, Boolean> e : ((StateSetPoint) p).states().entrySet()) {
        put(name, p.labels().with(name, e.getKey()), e.getValue() ? 1 : 0, false, help, gen);
      }
    } else if (p instanceof HistogramPoint) {
      HistogramPoint h = (HistogramPoint) p;
      boolean gaugeHistogram = f.type() == MetricType.GAUGE_HISTOGRAM;
      for (int i = 0; i < h.bucketCount(); i++) {
        put(name + "_bucket", h.labels().with("le", bound(h.upperBound(i))), h.cumulativeCount(i), false, help, gen);
      }
      if (h.hasCount()) {
        put(name + (gaugeHistogram ? "_gcount" : "_count"), h.labels(), h.count(), false, help, gen);
      }
      if (h.hasSum()) {
        put(name + (gaugeHistogram ? "_gsum" : "_sum"), h.labels(), h.sum(), false, help, gen);
      }
    } else if (p instanceof SummaryPoint) {
      SummaryPoint s = (SummaryPoint) p;
      for (int i = 0; i < s.quantileCount(); i++) {
        put(name, s.labels().with("quantile", bound(s.quantile(i))), s.quantileValue(i), false, help, gen);
      }
      if (s.hasCount()) {
        put(name + "_count", s.labels(), s.count(), false, help, gen);
      }
      if (s.hasSum()) {
        put(name + "_sum", s.labels(), s.sum(), false, help, gen);
      }
    }
  }

  /** A {@code x_created} family beside a counter, histogram or summary {@code x} (or {@code x_total}). */
  private static boolean isCreatedTimestamps(MetricFamily f, MetricSnapshot snapshot) {
    String name = f.name();
    if (!name.endsWith("_created") || f.type() == MetricType.COUNTER || f.type() == MetricType.HISTOGRAM
        || f.type() == MetricType.SUMMARY) {
      return false;
    }
    String base = name.substring(0, name.length() - "_created".length());
    for (String sibling : new String[] {base, base + "_total"}) {
      MetricFamily s = snapshot.family(sibling).orElse(null);
      if (s != null && (s.type() == MetricType.COUNTER || s.type() == MetricType.HISTOGRAM
          || s.type() == MetricType.SUMMARY || s.type() == MetricType.GAUGE_HISTOGRAM)) {
        return true;
      }
    }
    return false;
  }

  private static String bound(double b) {
    if (b == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return "-Inf";
    }
    return FloatFormats.wholeOrJava(b);
  }

  private void put(String name, Labels labels, double value, boolean counter, String help, long gen) {
    Key key = new Key(name, labels);
    // no base unit: the names already carry the exposition's unit, and Prometheus naming would add it again
    MeterSet.Value v = meters.value(key, name, WindowMetrics.tags(labels), help, null, counter);
    v.value = value;
    v.lastUpdate = gen;
  }
}
