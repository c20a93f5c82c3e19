package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiValue;
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
public final class NeuronPrometheusKpis {
  /** The KPI dimension naming the runtime ({@code runtime_tag}). */
  public static final String RUNTIME = KpiDimension.RUNTIME;
  /** The {@link KpiSet#source()} of the KPIs. */
  public static final String SOURCE = "neuron";

  private final double windowSeconds;
  private final NeuronPrometheusSnapshot current;
  private final List<NeuronRuntimeKpis> runtimes;
  private final List<String> goneRuntimes;
  private final List<EccCounters> eccIncrease;

  private NeuronPrometheusKpis(double windowSeconds, NeuronPrometheusSnapshot current,
      List<NeuronRuntimeKpis> runtimes, List<String> goneRuntimes, List<EccCounters> eccIncrease) {
    this.windowSeconds = windowSeconds;
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
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
    if (!(windowSeconds > 0) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("windowSeconds must be a positive number of seconds: " + windowSeconds);
    }
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
    return new NeuronPrometheusKpis(windowSeconds, current, runtimes, gone, ecc);
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

  /**
   * The KPIs in the shared vocabulary, instance-wide values first, then per runtime (dimension {@link #RUNTIME}).
   *
   * <table>
   *   <caption>values</caption>
   *   <tr><th>KPI</th><th>dimensions</th><th>from</th></tr>
   *   <tr><td>{@code REQUEST_RATE}</td><td>none; runtime</td><td>executions/s, every status</td></tr>
   *   <tr><td>{@code ERROR_RATE}</td><td>none; runtime; runtime, reason</td><td>execution errors/s
   *       (reason: {@code error_type})</td></tr>
   *   <tr><td>{@code ERROR_RATIO}</td><td>none; runtime; runtime, reason</td><td>errors / executions</td></tr>
   *   <tr><td>{@code END_TO_END_LATENCY} P50, P99</td><td>runtime</td><td>{@code execution_latency_seconds}</td></tr>
   *   <tr><td>{@code ACCELERATOR_UTILIZATION}</td><td>none; device; runtime; runtime, device</td><td>mean over
   *       cores; per core (the max over runtimes on the instance)</td></tr>
   *   <tr><td>{@code ACCELERATOR_MEMORY_USED}</td><td>none; device; runtime; runtime, device</td><td>device
   *       memory; NeuronCore memory per core</td></tr>
   *   <tr><td>{@code ACCELERATOR_MEMORY_TOTAL}</td><td>none</td><td>{@code neuron_hardware_info}</td></tr>
   * </table>
   *
   * <p>{@code device} is the NeuronCore index. Values the window cannot give are left out.
   *
   * @param target the scraped endpoint, or {@code ""}
   * @param at the end of the window
   * @return the KPI set, source {@code neuron}
   */
  public KpiSet toKpiSet(String target, Instant at) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
    List<KpiValue> values = new ArrayList<>();
    Labels none = Labels.EMPTY;
    add(values, Kpi.REQUEST_RATE, KpiStatistic.VALUE, none, executionRate());
    add(values, Kpi.ERROR_RATE, KpiStatistic.VALUE, none, errorRate());
    add(values, Kpi.ERROR_RATIO, KpiStatistic.VALUE, none, errorRatio());
    add(values, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, none, utilizationAvg());
    neuroncoreUtilization().forEach((core, u) -> add(values, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE,
        Labels.of(KpiDimension.DEVICE, core.toString()), OptionalDouble.of(u)));
    add(values, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, none, deviceMemoryUsedBytes());
    neuroncoreMemoryBytes().forEach((core, m) -> add(values, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE,
        Labels.of(KpiDimension.DEVICE, core.toString()), OptionalDouble.of(m)));
    add(values, Kpi.ACCELERATOR_MEMORY_TOTAL, KpiStatistic.VALUE, none, deviceMemoryTotalBytes());
    for (NeuronRuntimeKpis r : runtimes) {
      Labels rt = Labels.of(RUNTIME, r.tag());
      add(values, Kpi.REQUEST_RATE, KpiStatistic.VALUE, rt, r.executionRate());
      add(values, Kpi.ERROR_RATE, KpiStatistic.VALUE, rt, r.errorRate());
      r.errorRates().forEach((type, rate) -> add(values, Kpi.ERROR_RATE, KpiStatistic.VALUE,
          rt.with(KpiDimension.REASON, type), OptionalDouble.of(rate)));
      add(values, Kpi.ERROR_RATIO, KpiStatistic.VALUE, rt, r.errorRatio());
      r.errorRatios().forEach((type, ratio) -> add(values, Kpi.ERROR_RATIO, KpiStatistic.VALUE,
          rt.with(KpiDimension.REASON, type), OptionalDouble.of(ratio)));
      add(values, Kpi.END_TO_END_LATENCY, KpiStatistic.P50, rt, r.latencyP50());
      add(values, Kpi.END_TO_END_LATENCY, KpiStatistic.P99, rt, r.latencyP99());
      add(values, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE, rt, r.utilizationAvg());
      r.neuroncoreUtilization().forEach((core, u) -> add(values, Kpi.ACCELERATOR_UTILIZATION, KpiStatistic.VALUE,
          rt.with(KpiDimension.DEVICE, core.toString()), OptionalDouble.of(u)));
      add(values, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE, rt, r.deviceMemoryUsedBytes());
      r.neuroncoreMemoryBytes().forEach((core, m) -> add(values, Kpi.ACCELERATOR_MEMORY_USED, KpiStatistic.VALUE,
          rt.with(KpiDimension.DEVICE, core.toString()), OptionalDouble.of(m)));
    }
    return new KpiSet(SOURCE, target, at, window(), values);
  }

  private Duration window() {
    return Duration.ofNanos(Math.max(1, Math.round(windowSeconds * 1e9)));
  }

  private static void add(List<KpiValue> values, Kpi kpi, KpiStatistic statistic, Labels dimensions,
      OptionalDouble v) {
    if (v.isPresent() && Double.isFinite(v.getAsDouble())) {
      values.add(new KpiValue(kpi, statistic, dimensions, v.getAsDouble()));
    }
  }

  /**
   * Everything computed, as tables for people: {@code runtimes}, {@code neuroncores} (per runtime and core),
   * {@code executions} (per runtime and status), {@code errors} (per runtime and error type), {@code instance}
   * and {@code neuron_devices} (ECC events in the window).
   *
   * @return the tables
   */
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
