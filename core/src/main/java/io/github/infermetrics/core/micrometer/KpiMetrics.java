package io.github.infermetrics.core.micrometer;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiValue;
import io.github.infermetrics.core.snapshot.Labels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes {@link KpiSet}s as Micrometer gauges named {@link Kpi#metricName(KpiStatistic)} (the same names as in
 * EMF and JSON output), tagged with the KPI's dimensions, {@code source}, {@code target} and the extra tags. The
 * source modules' binders ({@code TritonMetrics}, ...) feed it.
 *
 * <pre>{@code
 * KpiMetrics kpis = new KpiMetrics(Tags.of("cluster", "prod"));
 * kpis.bindTo(registry);
 * kpis.update(kpiSet);   // after each window, e.g. from the scrape listener
 * }</pre>
 *
 * <p>A KPI value missing from an update (no traffic in the window, so no latency) reads NaN until it comes back;
 * after {@link #DEFAULT_MISSES_BEFORE_REMOVAL} updates without it (a model unloaded, a pod gone) its meter is
 * removed. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class KpiMetrics implements MeterBinder, AutoCloseable {
  /** Updates without a value after which its meter is removed. */
  public static final int DEFAULT_MISSES_BEFORE_REMOVAL = 10;

  private final Object lock = new Object();
  private final MeterSet meters;
  private final int missesBeforeRemoval;
  private long generation;

  private record Key(Kpi kpi, KpiStatistic statistic, Labels dimensions, String source, String target) {}

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public KpiMetrics(Iterable<Tag> extraTags) {
    this(extraTags, DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public KpiMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
    if (missesBeforeRemoval < 1) {
      throw new IllegalArgumentException("missesBeforeRemoval must be at least 1: " + missesBeforeRemoval);
    }
    this.meters = new MeterSet(Tags.of(Objects.requireNonNull(extraTags, "extraTags")));
    this.missesBeforeRemoval = missesBeforeRemoval;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (lock) {
      meters.bindTo(registry);
    }
  }

  /**
   * Takes a window's KPIs.
   *
   * @param kpis the values
   */
  public void update(KpiSet kpis) {
    Objects.requireNonNull(kpis, "kpis");
    synchronized (lock) {
      long gen = ++generation;
      for (KpiValue v : kpis.values()) {
        Key key = new Key(v.kpi(), v.statistic(), v.dimensions(), kpis.source(), kpis.target());
        Labels dims = v.dimensions().with(KpiDimension.SOURCE, kpis.source());
        if (!kpis.target().isEmpty()) {
          dims = dims.with(KpiDimension.TARGET, kpis.target());
        }
        MeterSet.Value m = meters.value(key, v.metricName(), ScrapedMetrics.tags(dims), v.kpi().description(),
            null, false);
        m.value = v.value();
        m.lastUpdate = gen;
        m.missedUpdates = 0;
      }
      meters.removeIf(m -> {
        Key k = (Key) m.key;
        if (m.lastUpdate == gen || !k.source().equals(kpis.source()) || !k.target().equals(kpis.target())) {
          return false; // updated now, or another source's value
        }
        m.value = Double.NaN;
        return ++m.missedUpdates >= missesBeforeRemoval;
      });
    }
  }

  /**
   * Number of KPI values with meters.
   *
   * @return the count
   */
  public int size() {
    synchronized (lock) {
      return meters.size();
    }
  }

  /** Removes every meter. */
  @Override
  public void close() {
    synchronized (lock) {
      meters.clear();
    }
  }
}
