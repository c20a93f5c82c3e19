package io.github.infermetrics.core.micrometer;

import io.github.infermetrics.core.kpi.Kpi;
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
 * Publishes {@link KpiSet}s, the shared vocabulary only, as Micrometer gauges named
 * {@link Kpi#meterName(KpiStatistic)} ({@code time.to.first.token.p95}) with the KPI's base unit
 * ({@code seconds}), so that each registry's naming convention makes its own name of them (Prometheus:
 * {@code time_to_first_token_p95_seconds}), tagged with {@link KpiSet#labels(KpiValue)} (the KPI's dimensions,
 * {@code source} and {@code target}) and the extra tags. To publish a source's own measures too, use
 * {@link WindowMetrics} or the source module's binder.
 *
 * <pre>{@code
 * KpiMetrics kpis = new KpiMetrics(Tags.of("cluster", "prod"));
 * kpis.bindTo(registry);
 * kpis.update(kpiSet);   // after each window, e.g. from a pipeline consumer
 * }</pre>
 *
 * <p>A KPI value missing from an update of the same source and target (no traffic in the window, so no latency)
 * reads NaN until it comes back; after {@link #DEFAULT_MISSES_BEFORE_REMOVAL} such updates without it (a model
 * unloaded) its meter is removed. Meters a registry refuses are counted ({@link #rejectedMeters()}). Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class KpiMetrics implements MeterBinder, AutoCloseable {
  /** Updates without a value after which its meter is removed. */
  public static final int DEFAULT_MISSES_BEFORE_REMOVAL = 10;

  private final Object lock = new Object();
  private final MeterSet meters;
  private final int missesBeforeRemoval;
  private long generation;

  private record Key(Kpi kpi, KpiStatistic statistic, Labels labels) {}

  private record Owner(String source, String target) {}

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
      Owner owner = new Owner(kpis.source(), kpis.target());
      for (KpiValue v : kpis.values()) {
        Labels labels = kpis.labels(v);
        MeterSet.Value m = meters.value(new Key(v.kpi(), v.statistic(), labels), v.kpi().meterName(v.statistic()),
            WindowMetrics.tags(labels), v.kpi().description(), v.kpi().unit().meterBaseUnit(), false);
        MeterSet.push(m, v.value(), owner, gen);
      }
      meters.expire(owner, gen, missesBeforeRemoval);
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

  /**
   * Meters a registry refused so far (each bound registry counts apart).
   *
   * @return the count
   */
  public long rejectedMeters() {
    synchronized (lock) {
      return meters.rejected();
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
