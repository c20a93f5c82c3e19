package io.github.infermetrics.tgi;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link TgiKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}), tagged
 * {@code source=tgi}, {@code method} for batch values, {@code reason} for failure rates, and the extra tags (TGI
 * names no model: add one as an extra tag). The core KPIs carry the vocabulary's names, the same as vLLM's
 * ({@code queue.time.p95}, {@code generation.token.rate}, {@code queue.depth}, {@code batch.size}); TGI's own
 * {@code tgi.} and the measure ({@code tgi.time.to.first.token.floor.mean}, {@code tgi.batch.forward.time.p95});
 * each with its unit as the base unit.
 *
 * <pre>{@code
 * TgiMetrics tgi = new TgiMetrics(Tags.of("target", "tgi-0:8080", "cluster", "prod"));
 * tgi.bindTo(registry);
 * TgiSnapshot previous = null;
 * // after each scrape, 15 s apart:
 * TgiSnapshot current = TgiSnapshot.of(result.snapshot());
 * if (previous != null) {
 *   tgi.update(TgiKpis.between(previous, current, Duration.ofSeconds(15)));
 * }
 * previous = current;
 * }</pre>
 *
 * <p>A value missing from an update (no requests in the window) reads NaN; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it its gauge is removed. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class TgiMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public TgiMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public TgiMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
    this.meters = new WindowMetrics(extraTags, missesBeforeRemoval);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry);
  }

  /**
   * Takes a window's KPIs.
   *
   * @param window the KPIs
   */
  public void update(TgiKpis window) {
    meters.update(window);
  }

  /**
   * Number of values with meters.
   *
   * @return the count
   */
  public int size() {
    return meters.size();
  }

  /**
   * Meters a registry refused so far.
   *
   * @return the count
   */
  public long rejectedMeters() {
    return meters.rejectedMeters();
  }

  /** Removes every meter. */
  @Override
  public void close() {
    meters.close();
  }
}
