package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@link DcgmKpis} as Micrometer gauges, through core's shared engine ({@link WindowMetrics}). The
 * measures that are core KPIs are named by the shared vocabulary ({@code accelerator.utilization},
 * {@code accelerator.memory.used}, {@code power}, {@code power.average}, {@code accelerator.count}); the DCGM-only
 * ones by {@code dcgm.} and the measure ({@code dcgm.sm.active}, {@code dcgm.tensor.active},
 * {@code dcgm.pcie.transmit}, {@code dcgm.clock.event}); each with its unit as the base unit, so the registry's
 * naming convention spells it (Prometheus: {@code accelerator_utilization_ratio}, {@code dcgm_sm_active_ratio}).
 * Tags: {@code device} (the GPU's UUID), {@code gpu_instance} and {@code gpu_profile} (MIG), {@code node},
 * {@code pod} (the node and pod aggregates), {@code reason} (clock events), {@code source=dcgm} and the extra tags.
 *
 * <pre>{@code
 * DcgmMetrics gpus = new DcgmMetrics(Tags.of("target", "gpu-node-1"));
 * gpus.bindTo(registry);
 * // every 15 s, from two scrapes of http://gpu-node-1:9400/metrics
 * gpus.update(DcgmKpis.between(previous, current, Duration.ofSeconds(15)));
 * }</pre>
 *
 * <p>A value missing from an update (a clock-event reason that cleared, a GPU gone) reads NaN until it comes back;
 * after {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL} updates without it its meter is removed. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class DcgmMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public DcgmMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   * @throws IllegalArgumentException when {@code missesBeforeRemoval} is below 1
   */
  public DcgmMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
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
  public void update(DcgmKpis window) {
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
