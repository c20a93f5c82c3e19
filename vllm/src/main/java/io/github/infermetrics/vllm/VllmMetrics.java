package io.github.infermetrics.vllm;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link VllmKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}), tagged
 * {@code model} (plus {@code model_version} behind Triton), {@code engine} for per-engine values,
 * {@code source=vllm} and the extra tags. The core KPIs carry the vocabulary's names
 * ({@code time.to.first.token.p95}, {@code generation.token.rate}, {@code kv.cache.usage}, {@code queue.depth});
 * the vLLM-only ones {@code vllm.} and the measure ({@code vllm.goodput}, {@code vllm.prefix.cache.hit},
 * {@code vllm.prefill.time.p99}); each with its unit as the base unit, so the registry's naming convention spells
 * it (Prometheus: {@code vllm_prefix_cache_hit_ratio}, {@code time_to_first_token_p95_seconds}).
 *
 * <pre>{@code
 * VllmMetrics vllm = new VllmMetrics(Tags.of("target", "vllm-0:8000", "cluster", "prod"));
 * vllm.bindTo(registry);
 * VllmSnapshot previous = null;
 * // after each scrape, 15 s apart:
 * VllmSnapshot current = VllmSnapshot.of(result.snapshot());
 * if (previous != null) {
 *   vllm.update(VllmKpis.between(previous, current, Duration.ofSeconds(15)));
 * }
 * previous = current;
 * }</pre>
 *
 * <p>A value missing from an update (no requests in the window) reads NaN; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it (a model unloaded) its gauge is removed.
 * Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class VllmMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public VllmMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public VllmMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
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
  public void update(VllmKpis window) {
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
