package io.github.infermetrics.ray;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link RayServeKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}), tagged
 * {@code application}, {@code route} or {@code deployment} (and {@code model} for a Ray Serve LLM deployment),
 * {@code source=ray} and the extra tags. The core KPIs carry the vocabulary's names ({@code request.rate},
 * {@code error.ratio}, {@code end.to.end.latency.p95}, {@code queue.depth}); Ray Serve's own {@code ray.} and the
 * measure ({@code ray.healthy.replicas}, {@code ray.processing.latency.p99}, {@code ray.http.4xx}), each with its
 * unit as the base unit.
 *
 * <pre>{@code
 * RayMetrics ray = new RayMetrics(Tags.of("target", "ray-head:8080", "cluster", "prod"));
 * ray.bindTo(registry);
 * RayServeSnapshot previous = null;
 * // after each scrape, 15 s apart:
 * RayServeSnapshot current = RayServeSnapshot.of(result.snapshot());
 * if (previous != null) {
 *   ray.update(RayServeKpis.between(previous, current, Duration.ofSeconds(15)));
 * }
 * previous = current;
 * }</pre>
 *
 * <p>A value missing from an update (no requests in the window) reads NaN; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it (a deployment deleted) its gauge is removed.
 * Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class RayMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public RayMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public RayMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
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
  public void update(RayServeKpis window) {
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
