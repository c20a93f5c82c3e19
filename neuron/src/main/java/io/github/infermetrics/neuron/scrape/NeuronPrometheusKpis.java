package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.neuron.NeuronMeasure;
import io.github.infermetrics.core.snapshot.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The serving KPIs of a Neuron instance between two scrapes of neuron-monitor-prometheus.py: per runtime
 * ({@link NeuronRuntimeKpis}) and for the instance (executions, NeuronCore utilization per core and overall, device
 * memory, ECC health).
 *
 * <pre>{@code
 * NeuronPrometheusKpis kpis = NeuronPrometheusKpis.between(before, after, 15);
 * System.out.println(kpis.executionRate() + " executions/s, ECC healthy: " + kpis.eccHealthy());
 * KpiSet set = kpis.toKpiSet("http://10.0.0.7:8000/metrics", Instant.now());
 * set.find(Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, LabelMatcher.eq(KpiDimension.DEVICE, "0"));
 * }</pre>
 *
 * <p>A NeuronCore's utilization for the instance is the maximum over the runtimes (each runtime reports every core;
 * the CloudWatch agent aggregates the same way); the instance's utilization is the mean of those. A runtime that
 * the previous scrape had and the current one has not ({@link #goneRuntimes()}) has no KPIs: the converter dropped
 * its series together with whatever it counted since the previous scrape. Immutable.
 */
public final class NeuronPrometheusKpis implements KpiWindow {
  /** The KPI dimension naming the runtime ({@code runtime_tag}). */
  public static final String RUNTIME = KpiDimension.RUNTIME;
  /** The {@link KpiSet#source()} of the KPIs. */
  public static final String SOURCE = "neuron";

  private final Duration window;
  private final double windowSeconds;
  private final NeuronPrometheusSnapshot current;
  private final List<NeuronRuntimeKpis> runtimes;
  private final List<String> goneRuntimes;
  private final List<EccCounters> eccIncrease;

  private NeuronPrometheusKpis(Duration window, NeuronPrometheusSnapshot current,
      List<NeuronRuntimeKpis> runtimes, List<String> goneRuntimes, List<EccCounters> eccIncrease) {
    this.window = window;
    this.windowSeconds = MeasuredWindow.seconds(window);
    this.current = current;
    this.runtimes = List.copyOf(runtimes);
    this.goneRuntimes = List.copyOf(goneRuntimes);
    this.eccIncrease = List.copyOf(eccIncrease);
  }

  /**
   * The KPIs between two scrapes of the same endpoint.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param windowSeconds the time between them in seconds
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not a positive finite number
   */
  public static NeuronPrometheusKpis between(NeuronPrometheusSnapshot previous, NeuronPrometheusSnapshot current,
      double windowSeconds) {
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("windowSeconds must be a positive number of seconds: " + windowSeconds);
    }
    return between(previous, current, MeasuredWindow.duration(windowSeconds));
  }

  /**
   * The KPIs between two scrapes of the same endpoint.
   *
   * @param previous the earlier scrape
   * @param current the later scrape
   * @param window the time between them
   * @return the KPIs
   * @throws IllegalArgumentException when the window is not positive
   */
  public static NeuronPrometheusKpis between(NeuronPrometheusSnapshot previous, NeuronPrometheusSnapshot current,
      Duration window) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    double windowSeconds = MeasuredWindow.seconds(window);
    List<NeuronRuntimeKpis> runtimes = new ArrayList<>();
    for (NeuronRuntime r : current.runtimes()) {
      runtimes.add(NeuronRuntimeKpis.of(previous.runtime(r.tag()).orElse(null), r, windowSeconds));
    }
    List<String> gone = new ArrayList<>();
    for (NeuronRuntime r : previous.runtimes()) {
      if (current.runtime(r.tag()).isEmpty()) {
        gone.add(r.tag());
      }
    }
    Map<Integer, Map<String, Double>> before = new HashMap<>();
    previous.ecc().forEach(e -> before.put(e.deviceIndex(), e.events()));
    List<EccCounters> ecc = new ArrayList<>();
    boolean[] reset = {false};
    for (EccCounters e : current.ecc()) {
      ecc.add(new EccCounters(e.deviceIndex(),
          NeuronRuntimeKpis.increases(before.getOrDefault(e.deviceIndex(), Map.of()), e.events(), reset)));
    }
    return new NeuronPrometheusKpis(window, current, runtimes, gone, ecc);
  }

  /**
   * The window.
   *
   * @return seconds between the scrapes
   */
  public double windowSeconds() {
    return windowSeconds;
  }

  /**
   * The later scrape.
   *
   * @return its typed view
   */
  public NeuronPrometheusSnapshot current() {
    return current;
  }

  /**
   * The runtimes of the current scrape, in its order.
   *
   * @return an unmodifiable list
   */
  public List<NeuronRuntimeKpis> runtimes() {
    return runtimes;
  }

  /**
   * One runtime's KPIs.
   *
   * @param tag its {@code runtime_tag}
   * @return the KPIs, or empty when the current scrape does not have it
   */
  public Optional<NeuronRuntimeKpis> runtime(String tag) {
    for (NeuronRuntimeKpis r : runtimes) {
      if (r.tag().equals(tag)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The runtimes that ended in the window: in the previous scrape, not in the current one.
   *
   * @return their tags
   */
  public List<String> goneRuntimes() {
    return goneRuntimes;
  }

  /**
   * Executions per second on the instance, every runtime and status.
   *
   * @return the rate, or empty when no runtime has execution counters
   */
  public OptionalDouble executionRate() {
    return sum(runtimes.stream().map(NeuronRuntimeKpis::executionRate).toList());
  }

  /**
   * Execution errors per second on the instance.
   *
   * @return the rate, or empty
   */
  public OptionalDouble errorRate() {
    return sum(runtimes.stream().map(NeuronRuntimeKpis::errorRate).toList());
  }

  /**
   * Errors over executions on the instance in the window.
   *
   * @return the ratio, or empty when nothing ended in the window
   */
  public OptionalDouble errorRatio() {
    OptionalDouble executions = sum(runtimes.stream().map(NeuronRuntimeKpis::executionsInWindow).toList());
    OptionalDouble errors = sum(runtimes.stream().map(NeuronRuntimeKpis::errorsInWindow).toList());
    if (executions.isEmpty() || errors.isEmpty() || !(executions.getAsDouble() > 0)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(errors.getAsDouble() / executions.getAsDouble());
  }

  /**
   * Utilization by NeuronCore: for each core the maximum over the runtimes.
   *
   * @return 0 to 1 by core index, sorted
   */
  public Map<Integer, Double> neuroncoreUtilization() {
    Map<Integer, Double> out = new TreeMap<>();
    for (NeuronRuntimeKpis r : runtimes) {
      r.neuroncoreUtilization().forEach((core, u) -> out.merge(core, u, Math::max));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The mean of {@link #neuroncoreUtilization()}: how busy the instance's NeuronCores are.
   *
   * @return 0 to 1, or empty without utilization series
   */
  public OptionalDouble utilizationAvg() {
    return neuroncoreUtilization().values().stream().mapToDouble(Double::doubleValue).average();
  }

  /**
   * The busiest NeuronCore's utilization.
   *
   * @return 0 to 1, or empty
   */
  public OptionalDouble utilizationMax() {
    return neuroncoreUtilization().values().stream().mapToDouble(Double::doubleValue).max();
  }

  /**
   * NeuronCore memory by core, summed over the runtimes.
   *
   * @return bytes by core index, sorted
   */
  public Map<Integer, Double> neuroncoreMemoryBytes() {
    Map<Integer, Double> out = new TreeMap<>();
    for (NeuronRuntimeKpis r : runtimes) {
      r.neuroncoreMemoryBytes().forEach((core, m) -> out.merge(core, m, Double::sum));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Device (HBM) memory in use by every runtime.
   *
   * @return bytes, or empty when no runtime reports any
   */
  public OptionalDouble deviceMemoryUsedBytes() {
    return sum(runtimes.stream().map(NeuronRuntimeKpis::deviceMemoryUsedBytes).toList());
  }

  /**
   * Device (HBM) memory of the instance, from {@code neuron_hardware_info}.
   *
   * @return bytes, or empty when the converter does not say
   */
  public OptionalDouble deviceMemoryTotalBytes() {
    return current.hardware().map(h -> h.totalDeviceMemoryBytes().isPresent()
        ? OptionalDouble.of(h.totalDeviceMemoryBytes().getAsLong()) : OptionalDouble.empty())
        .orElse(OptionalDouble.empty());
  }

  /**
   * The used fraction of the instance's device (HBM) memory.
   *
   * @return used / total, or empty when either is unknown
   */
  public OptionalDouble deviceMemoryUsedRatio() {
    OptionalDouble used = deviceMemoryUsedBytes();
    OptionalDouble total = deviceMemoryTotalBytes();
    if (used.isEmpty() || total.isEmpty() || !(total.getAsDouble() > 0)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(used.getAsDouble() / total.getAsDouble());
  }

  /**
   * The ECC events counted in the window, by device; each event type's value is its increase.
   *
   * @return an unmodifiable list, by device index
   */
  public List<EccCounters> eccIncrease() {
    return eccIncrease;
  }

  /**
   * Whether no uncorrected ECC event (memory or SRAM) was counted in the window on any device.
   *
   * @return false when an uncorrected event happened: the device needs attention
   */
  public boolean eccHealthy() {
    for (EccCounters e : eccIncrease) {
      if (e.uncorrected() > 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String source() {
    return SOURCE;
  }

  @Override
  public Duration window() {
    return window;
  }

  @Override
  public List<String> dropped() {
    return current.nonFinite();
  }

  /**
   * Every value, instance-wide ones first, then per runtime (dimension {@link #RUNTIME}).
   *
   * <table>
   *   <caption>values</caption>
   *   <tr><th>measure</th><th>dimensions</th><th>from</th></tr>
   *   <tr><td>{@code EXECUTION_RATE} (request rate)</td><td>none; runtime</td><td>executions/s, every
   *       status</td></tr>
   *   <tr><td>{@code ERROR_RATE}</td><td>none; runtime; runtime, reason</td><td>execution errors/s
   *       (reason: {@code error_type})</td></tr>
   *   <tr><td>{@code ERROR_RATIO}</td><td>none; runtime; runtime, reason</td><td>errors / executions</td></tr>
   *   <tr><td>{@code LATENCY_P50}, {@code LATENCY_P99}</td><td>runtime</td>
   *       <td>{@code execution_latency_seconds}</td></tr>
   *   <tr><td>{@code UTILIZATION}</td><td>none; device; runtime; runtime, device</td><td>mean over
   *       cores; per core (the max over runtimes on the instance)</td></tr>
   *   <tr><td>{@code DEVICE_MEMORY_USED}</td><td>none; device; runtime; runtime, device</td><td>device
   *       memory; NeuronCore memory per core</td></tr>
   *   <tr><td>{@code DEVICE_MEMORY_TOTAL}</td><td>none</td><td>{@code neuron_hardware_info}</td></tr>
   * </table>
   *
   * <p>plus the source-only measures of {@link NeuronMeasure} (failed executions, maximum utilisation, memory
   * ratio, vCPU, host memory, ECC events). {@code device} is the NeuronCore index. Values the window cannot give
   * are left out.
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    MeasuredWindow.Builder w = MeasuredWindow.builder(SOURCE, window);
    Labels none = Labels.EMPTY;
    w.put(NeuronMeasure.EXECUTION_RATE, none, executionRate());
    w.put(NeuronMeasure.ERROR_RATE, none, errorRate());
    w.put(NeuronMeasure.ERROR_RATIO, none, errorRatio());
    w.put(NeuronMeasure.UTILIZATION, none, utilizationAvg());
    w.put(NeuronMeasure.UTILIZATION_MAX, none, utilizationMax());
    neuroncoreUtilization().forEach((core, u) -> w.put(NeuronMeasure.UTILIZATION,
        Labels.of(KpiDimension.DEVICE, core.toString()), u));
    w.put(NeuronMeasure.DEVICE_MEMORY_USED, none, deviceMemoryUsedBytes());
    neuroncoreMemoryBytes().forEach((core, m) -> w.put(NeuronMeasure.DEVICE_MEMORY_USED,
        Labels.of(KpiDimension.DEVICE, core.toString()), m));
    w.put(NeuronMeasure.DEVICE_MEMORY_TOTAL, none, deviceMemoryTotalBytes());
    w.put(NeuronMeasure.DEVICE_MEMORY_USED_RATIO, none, deviceMemoryUsedRatio());
    if (!eccIncrease.isEmpty()) {
      double uncorrected = 0;
      double corrected = 0;
      for (EccCounters e : eccIncrease) {
        uncorrected += e.uncorrected();
        corrected += e.corrected();
      }
      w.put(NeuronMeasure.ECC_UNCORRECTED, none, uncorrected);
      w.put(NeuronMeasure.ECC_CORRECTED, none, corrected);
    }
    for (NeuronRuntimeKpis r : runtimes) {
      Labels rt = Labels.of(RUNTIME, r.tag());
      w.put(NeuronMeasure.EXECUTION_RATE, rt, r.executionRate());
      w.put(NeuronMeasure.COMPLETED_RATE, rt, r.completedRate());
      w.put(NeuronMeasure.FAILED_EXECUTION_RATE, rt, r.failedExecutionRate());
      w.put(NeuronMeasure.ERROR_RATE, rt, r.errorRate());
      r.errorRates().forEach((type, rate) -> w.put(NeuronMeasure.ERROR_RATE, rt.with(KpiDimension.REASON, type),
          rate));
      w.put(NeuronMeasure.ERROR_RATIO, rt, r.errorRatio());
      r.errorRatios().forEach((type, ratio) -> w.put(NeuronMeasure.ERROR_RATIO,
          rt.with(KpiDimension.REASON, type), ratio));
      w.put(NeuronMeasure.LATENCY_P50, rt, r.latencyP50());
      w.put(NeuronMeasure.LATENCY_P99, rt, r.latencyP99());
      w.put(NeuronMeasure.UTILIZATION, rt, r.utilizationAvg());
      w.put(NeuronMeasure.UTILIZATION_MAX, rt, r.utilizationMax());
      r.neuroncoreUtilization().forEach((core, u) -> w.put(NeuronMeasure.UTILIZATION,
          rt.with(KpiDimension.DEVICE, core.toString()), u));
      w.put(NeuronMeasure.DEVICE_MEMORY_USED, rt, r.deviceMemoryUsedBytes());
      r.neuroncoreMemoryBytes().forEach((core, m) -> w.put(NeuronMeasure.DEVICE_MEMORY_USED,
          rt.with(KpiDimension.DEVICE, core.toString()), m));
      w.put(NeuronMeasure.HOST_MEMORY_USED, rt, r.hostMemoryUsedBytes());
      w.put(NeuronMeasure.VCPU_USER, rt, r.vcpuUserRatio());
      w.put(NeuronMeasure.VCPU_SYSTEM, rt, r.vcpuSystemRatio());
    }
    return w.build().values();
  }

  /**
   * The KPIs in the shared vocabulary: the values of {@link #values()} that are core KPIs, instance-wide values
   * first, then per runtime.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the KPI set, source {@code neuron}
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  /**
   * Everything computed, as tables for people: {@code runtimes}, {@code neuroncores} (per runtime and core),
   * {@code executions} (per runtime and status), {@code errors} (per runtime and error type), {@code instance}
   * and {@code neuron_devices} (ECC events in the window).
   *
   * @return the tables
   */
  @Override
  public List<KpiTable> tables() {
    return KpiTables.of(this);
  }

  private static OptionalDouble sum(List<OptionalDouble> values) {
    double sum = 0;
    boolean any = false;
    for (OptionalDouble v : values) {
      if (v.isPresent()) {
        sum += v.getAsDouble();
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  @Override
  public String toString() {
    return "NeuronPrometheusKpis{" + runtimes.size() + " runtimes over " + windowSeconds + " s}";
  }
}
