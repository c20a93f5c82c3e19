package io.github.infermetrics.triton;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link TritonKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}). The
 * measures that are core KPIs are named by the shared vocabulary ({@code request.rate}, {@code queue.time.mean},
 * {@code time.to.first.token.p95}, {@code accelerator.utilization}); the Triton-only ones by {@code triton.} and the
 * measure ({@code triton.cache.hit}, {@code triton.inference.rate}, {@code triton.power.average}); each with its
 * unit as the base unit, so the registry's naming convention spells it (Prometheus: {@code triton_cache_hit_ratio},
 * {@code time_to_first_token_p95_seconds}). Tags: {@code model}, {@code model_version}, {@code device} (the GPU),
 * {@code namespace}, {@code reason}, {@code source=triton} and the extra tags (give a {@code target} tag when one
 * binder watches one server; {@link WindowMetrics} as a pipeline consumer tags every target itself).
 *
 * <pre>{@code
 * TritonMetrics triton = new TritonMetrics(Tags.of("target", "triton-0"));
 * triton.bindTo(registry);
 * // every 15 s, from two scrapes of http://triton-0:8002/metrics
 * triton.update(TritonKpis.between(previous, current, Duration.ofSeconds(15)));
 * }</pre>
 *
 * <p>A value missing from an update (no traffic, so no latency) reads NaN until it comes back; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it (a model unloaded) its meter is removed.
 * Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class TritonMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public TritonMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   * @throws IllegalArgumentException when {@code missesBeforeRemoval} is below 1
   */
  public TritonMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
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
  public void update(TritonKpis window) {
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
