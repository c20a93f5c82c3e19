package io.github.infermetrics.neuron;

import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.github.infermetrics.core.micrometer.WindowMetrics;
import io.github.infermetrics.neuron.scrape.NeuronPrometheusKpis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes neuron KPIs to Micrometer, through core's shared engine ({@link WindowMetrics}): a neuron-monitor
 * report's ({@link NeuronKpis}) or a neuron-monitor-prometheus scrape's ({@link NeuronPrometheusKpis}), with the
 * same names either way ({@link NeuronMeasure}). The core KPIs carry the vocabulary's names
 * ({@code request.rate}, {@code error.ratio}, {@code accelerator.utilization}, {@code accelerator.memory.used},
 * tagged {@code runtime}, {@code device} = NeuronCore, {@code reason}); the neuron-only ones {@code neuron.} and the
 * measure ({@code neuron.achieved.tflops}, {@code neuron.accelerator.utilization.max},
 * {@code neuron.ecc.uncorrected.events}, {@code neuron.vcpu.usage}); each with its unit as the base unit.
 *
 * <pre>{@code
 * NeuronMetrics metrics = new NeuronMetrics(Tags.of("target", "node-1", "cluster", "prod"));
 * metrics.bindTo(registry);
 * for (NeuronReport report : reader) {
 *   metrics.update(NeuronKpis.of(report));
 * }
 * }</pre>
 *
 * <p>A value the last update could not give reads NaN; after {@link KpiMetrics#DEFAULT_MISSES_BEFORE_REMOVAL}
 * updates without it (a runtime gone) its meter is removed. Thread-safe. Close it to remove its meters.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class NeuronMetrics implements MeterBinder, AutoCloseable {
  private final WindowMetrics meters;

  /**
   * A binder that adds these tags to every meter.
   *
   * @param extraTags tags for every meter
   */
  public NeuronMetrics(Iterable<Tag> extraTags) {
    this(extraTags, KpiMetrics.DEFAULT_MISSES_BEFORE_REMOVAL);
  }

  /**
   * A binder with its own removal rule.
   *
   * @param extraTags tags for every meter
   * @param missesBeforeRemoval updates without a value after which its meter is removed, at least 1
   */
  public NeuronMetrics(Iterable<Tag> extraTags, int missesBeforeRemoval) {
    this.meters = new WindowMetrics(extraTags, missesBeforeRemoval);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    meters.bindTo(registry);
  }

  /**
   * Takes a neuron-monitor report's KPIs.
   *
   * @param window the KPIs
   */
  public void update(NeuronKpis window) {
    meters.update(window);
  }

  /**
   * Takes a window of two neuron-monitor-prometheus scrapes.
   *
   * @param window the KPIs
   */
  public void update(NeuronPrometheusKpis window) {
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

  /** Removes every meter of this binder. */
  @Override
  public void close() {
    meters.close();
  }
}
