package io.github.infermetrics.neuron;

import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.micrometer.KpiMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * Publishes neuron-monitor reports to Micrometer: the shared KPIs of {@link NeuronKpis#toKpiSet} through core's
 * {@link KpiMetrics} (request rate, error rate and ratio, latency p50/p99 per runtime, NeuronCore utilisation and
 * device memory, tagged {@code source="neuron"}), plus node gauges the shared vocabulary has no name for:
 * {@code neuron_achieved_tflops}, {@code neuron_hbm_used_ratio}, {@code neuron_neuroncore_utilization_max_ratio},
 * {@code neuron_vcpu_usage_ratio}, {@code neuron_host_memory_used_ratio} and
 * {@code neuron_ecc_uncorrected_events} (per period). A gauge the last report could not give reads NaN.
 *
 * <pre>{@code
 * NeuronMetrics metrics = new NeuronMetrics("node-1", Tags.of("cluster", "prod"));
 * metrics.bindTo(registry);
 * for (NeuronReport report : reader) {
 *   metrics.update(report);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to remove its meters.
 */
@SuppressWarnings("exports") // Micrometer types in the API, from an optional module on purpose
public final class NeuronMetrics implements MeterBinder, AutoCloseable {
  private final String target;
  private final Tags tags;
  private final Clock clock;
  private final KpiMetrics kpis;
  private final List<Registered> registered = new ArrayList<>();
  private volatile NeuronKpis last;

  private record Registered(MeterRegistry registry, Meter meter) {}

  /**
   * A binder for one node.
   *
   * @param target the node or endpoint the reports come from ({@link KpiSet#target()}, tag {@code target}), or
   *     {@code ""}
   * @param extraTags tags for every meter
   */
  public NeuronMetrics(String target, Iterable<Tag> extraTags) {
    this(target, extraTags, Clock.systemUTC());
  }

  /**
   * A binder without a target.
   *
   * @param extraTags tags for every meter
   */
  public NeuronMetrics(Iterable<Tag> extraTags) {
    this("", extraTags);
  }

  NeuronMetrics(String target, Iterable<Tag> extraTags, Clock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.tags = Tags.of(Objects.requireNonNull(extraTags, "extraTags"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.kpis = new KpiMetrics(tags);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    kpis.bindTo(registry);
    Tags t = target.isEmpty() ? tags : tags.and("target", target);
    synchronized (registered) {
      gauge(registry, t, "neuron_achieved_tflops", "Floating-point operations per second of all NeuronCores, 10^12",
          null, k -> opt(k.achievedTflops()));
      gauge(registry, t, "neuron_hbm_used_ratio", "Device (HBM) memory used by all runtimes over device memory",
          "ratio", k -> opt(k.hbmUsedRatio()));
      gauge(registry, t, "neuron_neuroncore_utilization_max_ratio", "Busy ratio of the busiest NeuronCore", "ratio",
          k -> opt(k.utilizationMax()));
      gauge(registry, t, "neuron_vcpu_usage_ratio", "Busy ratio of the instance's vCPUs (user and system)", "ratio",
          k -> opt(k.vcpuUsage()));
      gauge(registry, t, "neuron_host_memory_used_ratio", "Host memory used over host memory", "ratio",
          k -> opt(k.hostMemoryUsedRatio()));
      gauge(registry, t, "neuron_ecc_uncorrected_events", "Uncorrected ECC events of all devices in the last period",
          null, k -> opt(k.uncorrectedEccEvents()));
    }
  }

  private void gauge(MeterRegistry registry, Tags t, String name, String description, String unit,
      ToDoubleFunction<NeuronKpis> f) {
    Gauge g = Gauge.builder(name, this, m -> {
      NeuronKpis k = m.last;
      return k == null ? Double.NaN : f.applyAsDouble(k);
    }).tags(t).description(description).baseUnit(unit).strongReference(true).register(registry);
    registered.add(new Registered(registry, g));
  }

  private static double opt(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }

  private static double opt(OptionalLong v) {
    return v.isPresent() ? v.getAsLong() : Double.NaN;
  }

  /**
   * Takes a report.
   *
   * @param report the report
   * @return its KPIs, as published
   */
  public NeuronKpis update(NeuronReport report) {
    NeuronKpis k = NeuronKpis.of(report);
    kpis.update(k.toKpiSet(target, clock.instant()));
    last = k;
    return k;
  }

  /** Removes every meter of this binder. */
  @Override
  public void close() {
    kpis.close();
    synchronized (registered) {
      for (Registered r : registered) {
        r.registry().remove(r.meter());
      }
      registered.clear();
    }
  }
}
