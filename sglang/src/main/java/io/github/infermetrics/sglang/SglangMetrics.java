package io.github.infermetrics.sglang;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link SglangKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}), tagged
 * {@code model}, for a scheduler rank also {@code engine}, {@code tp_rank} and {@code pp_rank}, {@code source=sglang}
 * and the extra tags. The core KPIs carry the vocabulary's names, the same as vLLM's
 * ({@code time.to.first.token.p95}, {@code generation.token.rate}, {@code kv.cache.usage}, {@code queue.depth});
 * SGLang's own {@code sglang.} and the measure ({@code sglang.server.generation.throughput},
 * {@code sglang.prefix.cache.hit}); each with its unit as the base unit.
 *
 * <pre>{@code
 * SglangMetrics sglang = new SglangMetrics(Tags.of("target", "sglang-0:30000", "cluster", "prod"));
 * sglang.bindTo(registry);
 * SglangSnapshot previous = null;
 * // after each scrape, 15 s apart:
 * SglangSnapshot current = SglangSnapshot.of(result.snapshot());
 * if (previous != null) {
 *   sglang.update(SglangKpis.between(previous, current, Duration.ofSeconds(15)));
 * }
 * previous = current;
 * }</pre>
 *
 * <p>A value missing from an update (no requests in the window) reads NaN; after
 * {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it its gauge is removed. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class SglangMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public SglangMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public SglangMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
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
  public void update(SglangKpis window) {
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
