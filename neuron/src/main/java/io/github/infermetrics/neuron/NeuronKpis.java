package io.github.infermetrics.neuron;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiDimension;
import io.github.infermetrics.core.kpi.KpiSet;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiTable;
import io.github.infermetrics.core.kpi.KpiWindow;
import io.github.infermetrics.core.kpi.MeasureValue;
import io.github.infermetrics.core.kpi.MeasuredWindow;
import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.neuron.NeuronReport.CoreMemory;
import io.github.infermetrics.neuron.NeuronReport.DeviceEcc;
import io.github.infermetrics.neuron.NeuronReport.ExecutionStats;
import io.github.infermetrics.neuron.NeuronReport.Latency;
import io.github.infermetrics.neuron.NeuronReport.MemoryUsed;
import io.github.infermetrics.neuron.NeuronReport.NeuronCoreCounter;
import io.github.infermetrics.neuron.NeuronReport.Runtime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The serving KPIs of one neuron-monitor report. A report already covers one period (its counts are per period), so
 * one report is enough: no second snapshot is needed.
 *
 * <pre>{@code
 * NeuronKpis kpis = NeuronKpis.of(report);
 * kpis.utilizationAverage();                 // 0.4: mean NeuronCore busy ratio
 * kpis.runtimes().get(0).latencyP99();       // 0.045 s, total latency
 * KpiSet set = kpis.toKpiSet("node-1", Instant.now());
 * List<KpiTable> tables = kpis.tables();     // "runtimes", "neuroncores", "system"
 * }</pre>
 *
 * <p>Ratios are 0–1 (the JSON's percentages ÷100). A value the report cannot give (no execution in the period, a
 * group not due, hardware memory size unknown) is absent, never 0 and never NaN. Per core, utilisation is the maximum
 * over the runtimes reporting the core (as the CloudWatch agent aggregates it), FLOPS and memory are summed.
 *
 * @param runtimes one entry per runtime, in report order
 * @param cores one entry per NeuronCore seen in counters or memory, by index
 * @param utilizationAverage mean busy ratio over {@link #cores()} with a utilisation
 * @param utilizationMax highest busy ratio
 * @param deviceMemoryUsedBytes device (HBM) memory used by all runtimes
 * @param deviceMemoryTotalBytes {@code neuron_device_memory_size × neuron_device_count}
 * @param achievedTflops sum of {@code flops} ÷ 10¹², absent when no core reports FLOPS
 * @param vcpuUsage system vCPU busy ratio: user+nice plus system+io_wait+irq+soft_irq, each capped at 100 %, ÷100
 * @param hostMemoryUsedRatio system {@code memory_used_bytes / memory_total_bytes}
 * @param eccHealth whether any device had an uncorrected ECC event in the period
 * @param uncorrectedEccEvents uncorrected memory and SRAM ECC events of all devices in the period
 * @param window the report's period: the longest group period, or 5 s (neuron-monitor's default) when none is given
 */
public record NeuronKpis(List<RuntimeKpis> runtimes, List<CoreKpis> cores, OptionalDouble utilizationAverage,
    OptionalDouble utilizationMax, OptionalLong deviceMemoryUsedBytes, OptionalLong deviceMemoryTotalBytes,
    OptionalDouble achievedTflops, OptionalDouble vcpuUsage, OptionalDouble hostMemoryUsedRatio, EccHealth eccHealth,
    OptionalLong uncorrectedEccEvents, Duration window) implements KpiWindow {

  /** The {@link KpiSet#source()} of neuron KPIs. */
  public static final String SOURCE = "neuron";
  /** The default period of neuron-monitor, used as the window when a report gives none. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

  /** ECC health of the period. */
  public enum EccHealth {
    /** No uncorrected ECC event. */
    OK,
    /** At least one uncorrected memory or SRAM ECC event: the device needs attention. */
    UNCORRECTED_ERRORS,
    /** The report has no {@code neuron_hw_counters}. */
    UNKNOWN
  }

  /**
   * Validates and copies.
   *
   * @param runtimes runtimes
   * @param cores cores
   * @param utilizationAverage mean utilisation
   * @param utilizationMax max utilisation
   * @param deviceMemoryUsedBytes device memory used
   * @param deviceMemoryTotalBytes device memory in total
   * @param achievedTflops TFLOPS
   * @param vcpuUsage vCPU use
   * @param hostMemoryUsedRatio host memory use
   * @param eccHealth ECC health
   * @param uncorrectedEccEvents uncorrected events
   * @param window the period
   */
  public NeuronKpis {
    runtimes = List.copyOf(runtimes);
    cores = List.copyOf(cores);
    Objects.requireNonNull(eccHealth, "eccHealth");
    Objects.requireNonNull(window, "window");
  }

  /**
   * The KPIs of one runtime (application) in the period.
   *
   * @param tag {@code neuron_runtime_tag}
   * @param pid the process id
   * @param errorsPerSecond errors ÷ period: see {@link #errorsPerSecond()}
   * @param executionsPerSecond all executions that ended (any {@code execution_summary} status) ÷ period
   * @param completedPerSecond {@code completed} ÷ period
   * @param errorRatio errors ({@link #errorsPerSecond()}) ÷ all executions; absent without executions
   * @param errorRatioByType each {@code error_summary} count ÷ all executions; empty without executions
   * @param latencyP50 {@code total_latency.p50} in seconds
   * @param latencyP99 {@code total_latency.p99}
   * @param deviceLatencyP50 {@code device_latency.p50}
   * @param deviceLatencyP99 {@code device_latency.p99}
   * @param hostOverheadP50 {@code total_latency.p50 − device_latency.p50}: time outside the device
   * @param vcpuUserRatio runtime {@code vcpu_usage.user} ÷ 100
   * @param vcpuSystemRatio runtime {@code vcpu_usage.system} ÷ 100
   * @param deviceMemoryBytes {@code neuron_runtime_used_bytes.neuron_device}
   * @param hostMemoryBytes {@code neuron_runtime_used_bytes.host}
   */
  public record RuntimeKpis(String tag, long pid, OptionalDouble executionsPerSecond,
      OptionalDouble completedPerSecond, OptionalDouble errorsPerSecond, OptionalDouble errorRatio,
      Map<String, Double> errorRatioByType,
      OptionalDouble latencyP50, OptionalDouble latencyP99, OptionalDouble deviceLatencyP50,
      OptionalDouble deviceLatencyP99, OptionalDouble hostOverheadP50, OptionalDouble vcpuUserRatio,
      OptionalDouble vcpuSystemRatio, OptionalLong deviceMemoryBytes, OptionalLong hostMemoryBytes) {
    /**
     * Validates and copies.
     *
     * @param tag tag
     * @param pid pid
     * @param executionsPerSecond executions/s
     * @param completedPerSecond completed/s
     * @param errorsPerSecond errors/s
     * @param errorRatio error ratio
     * @param errorRatioByType error ratio by type
     * @param latencyP50 p50
     * @param latencyP99 p99
     * @param deviceLatencyP50 device p50
     * @param deviceLatencyP99 device p99
     * @param hostOverheadP50 host overhead
     * @param vcpuUserRatio user vCPU
     * @param vcpuSystemRatio system vCPU
     * @param deviceMemoryBytes device memory
     * @param hostMemoryBytes host memory
     */
    public RuntimeKpis {
      Objects.requireNonNull(tag, "tag");
      errorRatioByType = Collections.unmodifiableMap(new LinkedHashMap<>(errorRatioByType));
    }

    /**
     * Errors per second, the total of {@code error_summary} ÷ period, so that it always equals the sum of the
     * per-type rates; a report without an {@code error_summary} counts the executions that did not complete
     * instead.
     *
     * @return the rate, absent when the report had no execution statistics
     */
    public OptionalDouble errorsPerSecond() {
      return errorsPerSecond;
    }

    /**
     * Executions per second that did not complete without error: every {@code execution_summary} status but
     * {@code completed}, ÷ period. Can differ from {@link #errorsPerSecond()} (see {@link NeuronMeasure}).
     *
     * @return the rate, absent when the report had no execution statistics
     */
    public OptionalDouble failedExecutionsPerSecond() {
      if (executionsPerSecond.isEmpty() || completedPerSecond.isEmpty()) {
        return OptionalDouble.empty();
      }
      return OptionalDouble.of(executionsPerSecond.getAsDouble() - completedPerSecond.getAsDouble());
    }
  }

  /**
   * The KPIs of one NeuronCore in the period.
   *
   * @param core the global NeuronCore index
   * @param device the Neuron device it belongs to, when {@code neuroncore_per_device_count} is known
   * @param utilization busy ratio (max over runtimes), absent when only memory was reported
   * @param tflops achieved TFLOPS (sum over runtimes), absent without {@code flops}
   * @param memoryBytes device memory used on this core (sum of the five uses over runtimes)
   */
  public record CoreKpis(int core, OptionalInt device, OptionalDouble utilization, OptionalDouble tflops,
      OptionalLong memoryBytes) {}

  /**
   * Computes the KPIs of a report.
   *
   * @param report the report
   * @return the KPIs
   */
  public static NeuronKpis of(NeuronReport report) {
    Objects.requireNonNull(report, "report");
    List<RuntimeKpis> runtimes = new ArrayList<>();
    TreeMap<Integer, double[]> util = new TreeMap<>(); // core -> {max utilisation}
    TreeMap<Integer, double[]> flops = new TreeMap<>();
    TreeMap<Integer, long[]> mem = new TreeMap<>();
    long deviceUsed = 0;
    boolean anyMemory = false;
    double window = 0;
    for (Runtime rt : report.runtimes()) {
      runtimes.add(runtime(rt));
      var r = rt.report();
      if (r.neuroncoreCounters().isPresent()) {
        window = Math.max(window, r.neuroncoreCounters().get().period());
        for (Map.Entry<Integer, NeuronCoreCounter> e : r.neuroncoreCounters().get().cores().entrySet()) {
          double u = e.getValue().utilizationPercent() / 100;
          util.merge(e.getKey(), new double[] {u}, (a, b) -> new double[] {Math.max(a[0], b[0])});
          if (e.getValue().flops().isPresent()) {
            flops.merge(e.getKey(), new double[] {e.getValue().flops().getAsDouble()},
                (a, b) -> new double[] {a[0] + b[0]});
          }
        }
      }
      if (r.memoryUsed().isPresent()) {
        MemoryUsed m = r.memoryUsed().get();
        window = Math.max(window, m.period());
        anyMemory = true;
        deviceUsed += m.deviceBytes();
        for (Map.Entry<Integer, CoreMemory> e : m.coreMemory().entrySet()) {
          mem.merge(e.getKey(), new long[] {e.getValue().total()}, (a, b) -> new long[] {a[0] + b[0]});
        }
      }
      if (r.executionStats().isPresent()) {
        window = Math.max(window, r.executionStats().get().period());
      }
      if (r.vcpuUsage().isPresent()) {
        window = Math.max(window, r.vcpuUsage().get().period());
      }
    }
    TreeMap<Integer, CoreKpis> cores = new TreeMap<>();
    java.util.Set<Integer> indexes = new java.util.TreeSet<>(util.keySet());
    indexes.addAll(mem.keySet());
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    double flopsSum = 0;
    for (int core : indexes) {
      double[] u = util.get(core);
      double[] f = flops.get(core);
      long[] m = mem.get(core);
      cores.put(core, new CoreKpis(core, report.hardware().deviceOf(core),
          u == null ? OptionalDouble.empty() : OptionalDouble.of(u[0]),
          f == null ? OptionalDouble.empty() : OptionalDouble.of(f[0] / 1e12),
          m == null ? OptionalLong.empty() : OptionalLong.of(m[0])));
      if (u != null) {
        sum += u[0];
        max = Math.max(max, u[0]);
      }
      if (f != null) {
        flopsSum += f[0];
      }
    }
    OptionalLong total = report.hardware().totalDeviceMemory();
    var sys = report.system();
    OptionalDouble vcpu = OptionalDouble.empty();
    if (sys.vcpuUsage().isPresent()) {
      var a = sys.vcpuUsage().get().average();
      vcpu = OptionalDouble.of((Math.min(100, a.userTotal()) + Math.min(100, a.systemTotal())) / 100);
      window = Math.max(window, sys.vcpuUsage().get().period());
    }
    OptionalDouble hostMem = OptionalDouble.empty();
    if (sys.memoryInfo().isPresent() && sys.memoryInfo().get().memoryTotalBytes() > 0) {
      var m = sys.memoryInfo().get();
      hostMem = OptionalDouble.of((double) m.memoryUsedBytes() / m.memoryTotalBytes());
      window = Math.max(window, m.period());
    }
    EccHealth ecc = EccHealth.UNKNOWN;
    OptionalLong uncorrected = OptionalLong.empty();
    if (sys.hwCounters().isPresent()) {
      long n = 0;
      for (DeviceEcc d : sys.hwCounters().get().devices()) {
        n += d.memEccUncorrected() + d.sramEccUncorrected();
      }
      ecc = n > 0 ? EccHealth.UNCORRECTED_ERRORS : EccHealth.OK;
      uncorrected = OptionalLong.of(n);
      window = Math.max(window, sys.hwCounters().get().period());
    }
    int withUtil = util.size();
    return new NeuronKpis(runtimes, new ArrayList<>(cores.values()),
        withUtil == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / withUtil),
        withUtil == 0 ? OptionalDouble.empty() : OptionalDouble.of(max),
        anyMemory ? OptionalLong.of(deviceUsed) : OptionalLong.empty(), total,
        flops.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(flopsSum / 1e12), vcpu, hostMem, ecc,
        uncorrected, window > 0 ? Duration.ofNanos(Math.round(window * 1e9)) : DEFAULT_PERIOD);
  }

  private static RuntimeKpis runtime(Runtime rt) {
    OptionalDouble execPerS = OptionalDouble.empty();
    OptionalDouble completedPerS = OptionalDouble.empty();
    OptionalDouble errorsPerS = OptionalDouble.empty();
    OptionalDouble errorRatio = OptionalDouble.empty();
    Map<String, Double> byType = new LinkedHashMap<>();
    OptionalDouble p50 = OptionalDouble.empty();
    OptionalDouble p99 = OptionalDouble.empty();
    OptionalDouble dp50 = OptionalDouble.empty();
    OptionalDouble dp99 = OptionalDouble.empty();
    Optional<ExecutionStats> stats = rt.report().executionStats();
    if (stats.isPresent()) {
      ExecutionStats s = stats.get();
      long executions = s.executions();
      // error_summary is the total when the report has it, so that the total and the per-type values agree
      long errors = s.errors().isEmpty() ? executions - s.completed() : s.totalErrors();
      if (s.period() > 0) {
        execPerS = OptionalDouble.of(executions / s.period());
        completedPerS = OptionalDouble.of(s.completed() / s.period());
        errorsPerS = OptionalDouble.of(errors / s.period());
      }
      if (executions > 0) {
        errorRatio = OptionalDouble.of((double) errors / executions);
        for (Map.Entry<String, Long> e : s.errors().entrySet()) {
          byType.put(e.getKey(), (double) e.getValue() / executions);
        }
      }
      p50 = s.totalLatency().map(Latency::p50).orElse(OptionalDouble.empty());
      p99 = s.totalLatency().map(Latency::p99).orElse(OptionalDouble.empty());
      dp50 = s.deviceLatency().map(Latency::p50).orElse(OptionalDouble.empty());
      dp99 = s.deviceLatency().map(Latency::p99).orElse(OptionalDouble.empty());
    }
    OptionalDouble overhead = p50.isPresent() && dp50.isPresent()
        ? OptionalDouble.of(p50.getAsDouble() - dp50.getAsDouble()) : OptionalDouble.empty();
    var vcpu = rt.report().vcpuUsage();
    var mem = rt.report().memoryUsed();
    return new RuntimeKpis(rt.tag(), rt.pid(), execPerS, completedPerS, errorsPerS, errorRatio, byType, p50, p99,
        dp50, dp99,
        overhead,
        vcpu.isPresent() ? OptionalDouble.of(vcpu.get().userPercent() / 100) : OptionalDouble.empty(),
        vcpu.isPresent() ? OptionalDouble.of(vcpu.get().systemPercent() / 100) : OptionalDouble.empty(),
        mem.isPresent() ? OptionalLong.of(mem.get().deviceBytes()) : OptionalLong.empty(),
        mem.isPresent() ? OptionalLong.of(mem.get().hostBytes()) : OptionalLong.empty());
  }

  /**
   * Device (HBM) memory used over device memory in total.
   *
   * @return the ratio, absent when either is unknown
   */
  public OptionalDouble hbmUsedRatio() {
    if (deviceMemoryUsedBytes.isEmpty() || deviceMemoryTotalBytes.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) deviceMemoryUsedBytes.getAsLong() / deviceMemoryTotalBytes.getAsLong());
  }

  @Override
  public String source() {
    return SOURCE;
  }

  /**
   * Every value, overall ones first: the instance ({@link NeuronMeasure#UTILIZATION} mean and max, device memory
   * used, in total and their ratio, TFLOPS, vCPU and host memory use, uncorrected ECC events), then per NeuronCore
   * ({@link KpiDimension#DEVICE} = core index: utilisation, TFLOPS, memory), then per runtime
   * ({@link KpiDimension#RUNTIME} = runtime tag: executions, errors in all and by {@link KpiDimension#REASON} =
   * error type, latencies, vCPU and memory).
   *
   * @return the values
   */
  @Override
  public List<MeasureValue> values() {
    MeasuredWindow.Builder w = MeasuredWindow.builder(SOURCE, window);
    Labels none = Labels.EMPTY;
    w.put(NeuronMeasure.UTILIZATION, none, utilizationAverage);
    w.put(NeuronMeasure.UTILIZATION_MAX, none, utilizationMax);
    w.put(NeuronMeasure.DEVICE_MEMORY_USED, none, of(deviceMemoryUsedBytes));
    w.put(NeuronMeasure.DEVICE_MEMORY_TOTAL, none, of(deviceMemoryTotalBytes));
    w.put(NeuronMeasure.DEVICE_MEMORY_USED_RATIO, none, hbmUsedRatio());
    w.put(NeuronMeasure.TFLOPS, none, achievedTflops);
    w.put(NeuronMeasure.VCPU_USAGE, none, vcpuUsage);
    w.put(NeuronMeasure.HOST_MEMORY_USED_RATIO, none, hostMemoryUsedRatio);
    w.put(NeuronMeasure.ECC_UNCORRECTED, none, of(uncorrectedEccEvents));
    for (CoreKpis c : cores) {
      Labels core = core(c);
      w.put(NeuronMeasure.UTILIZATION, core, c.utilization());
      w.put(NeuronMeasure.TFLOPS, core, c.tflops());
      w.put(NeuronMeasure.DEVICE_MEMORY_USED, core, of(c.memoryBytes()));
    }
    for (RuntimeKpis rt : runtimes) {
      Labels r = Labels.of(KpiDimension.RUNTIME, rt.tag());
      w.put(NeuronMeasure.EXECUTION_RATE, r, rt.executionsPerSecond());
      w.put(NeuronMeasure.COMPLETED_RATE, r, rt.completedPerSecond());
      w.put(NeuronMeasure.FAILED_EXECUTION_RATE, r, rt.failedExecutionsPerSecond());
      w.put(NeuronMeasure.ERROR_RATE, r, rt.errorsPerSecond());
      w.put(NeuronMeasure.ERROR_RATIO, r, rt.errorRatio());
      OptionalDouble executions = rt.executionsPerSecond();
      for (Map.Entry<String, Double> e : rt.errorRatioByType().entrySet()) {
        Labels reason = r.with(KpiDimension.REASON, e.getKey());
        if (executions.isPresent()) { // errors/s = ratio × executions/s
          w.put(NeuronMeasure.ERROR_RATE, reason, e.getValue() * executions.getAsDouble());
        }
        w.put(NeuronMeasure.ERROR_RATIO, reason, e.getValue());
      }
      w.put(NeuronMeasure.LATENCY_P50, r, rt.latencyP50());
      w.put(NeuronMeasure.LATENCY_P99, r, rt.latencyP99());
      w.put(NeuronMeasure.DEVICE_LATENCY_P50, r, rt.deviceLatencyP50());
      w.put(NeuronMeasure.DEVICE_LATENCY_P99, r, rt.deviceLatencyP99());
      w.put(NeuronMeasure.HOST_OVERHEAD_P50, r, rt.hostOverheadP50());
      w.put(NeuronMeasure.VCPU_USER, r, rt.vcpuUserRatio());
      w.put(NeuronMeasure.VCPU_SYSTEM, r, rt.vcpuSystemRatio());
      w.put(NeuronMeasure.DEVICE_MEMORY_USED, r, of(rt.deviceMemoryBytes()));
      w.put(NeuronMeasure.HOST_MEMORY_USED, r, of(rt.hostMemoryBytes()));
    }
    return w.build().values();
  }

  /**
   * The KPIs in the shared vocabulary, source {@value #SOURCE}: the values of {@link #values()} that are core KPIs
   * (utilisation and device memory overall and per core; per runtime request rate, error rate and ratio, also by
   * reason, latency p50/p99), with {@link #window()} as the window.
   *
   * @param target the node or endpoint the report is from, or {@code ""}
   * @param at the end of the period
   * @return the set
   */
  @Override
  public KpiSet toKpiSet(String target, Instant at) {
    return KpiWindow.super.toKpiSet(target, at);
  }

  private static Labels core(CoreKpis c) {
    return Labels.of(KpiDimension.DEVICE, Integer.toString(c.core()));
  }

  /**
   * Everything computed, as tables for people: {@code runtimes} (by {@code runtime}), {@code neuroncores} (by
   * {@code neuroncore} and {@code neuron_device}) and {@code system} (one row), with the columns of
   * {@link NeuronMeasure} (the same names as a scrape's tables).
   *
   * @return the three tables
   */
  @Override
  public List<KpiTable> tables() {
    KpiTable.Builder rt = KpiTable.builder("runtimes", KpiDimension.RUNTIME);
    List<NeuronMeasure> rtColumns = List.of(NeuronMeasure.EXECUTION_RATE, NeuronMeasure.FAILED_EXECUTION_RATE,
        NeuronMeasure.ERROR_RATE, NeuronMeasure.ERROR_RATIO, NeuronMeasure.LATENCY_P50, NeuronMeasure.LATENCY_P99,
        NeuronMeasure.DEVICE_LATENCY_P50, NeuronMeasure.DEVICE_LATENCY_P99, NeuronMeasure.VCPU_USER,
        NeuronMeasure.VCPU_SYSTEM, NeuronMeasure.DEVICE_MEMORY_USED);
    rtColumns.forEach(rt::column);
    for (RuntimeKpis r : runtimes) {
      rt.row(Labels.of(KpiDimension.RUNTIME, r.tag()), r.executionsPerSecond(), r.failedExecutionsPerSecond(),
          r.errorsPerSecond(), r.errorRatio(), r.latencyP50(), r.latencyP99(), r.deviceLatencyP50(),
          r.deviceLatencyP99(), r.vcpuUserRatio(), r.vcpuSystemRatio(), of(r.deviceMemoryBytes()));
    }
    KpiTable.Builder nc = KpiTable.builder("neuroncores", "neuroncore", "neuron_device")
        .column(NeuronMeasure.UTILIZATION)
        .column(NeuronMeasure.TFLOPS)
        .column(NeuronMeasure.DEVICE_MEMORY_USED);
    for (CoreKpis c : cores) {
      Labels key = Labels.of("neuroncore", Integer.toString(c.core()));
      if (c.device().isPresent()) {
        key = key.with("neuron_device", Integer.toString(c.device().getAsInt()));
      }
      nc.row(key, c.utilization(), c.tflops(), of(c.memoryBytes()));
    }
    KpiTable.Builder sys = KpiTable.builder("system")
        .column(NeuronMeasure.UTILIZATION)
        .column(NeuronMeasure.UTILIZATION_MAX)
        .column(NeuronMeasure.DEVICE_MEMORY_USED_RATIO)
        .column(NeuronMeasure.TFLOPS)
        .column(NeuronMeasure.VCPU_USAGE)
        .column(NeuronMeasure.HOST_MEMORY_USED_RATIO)
        .column(NeuronMeasure.ECC_UNCORRECTED);
    sys.row(Labels.EMPTY, utilizationAverage, utilizationMax, hbmUsedRatio(), achievedTflops, vcpuUsage,
        hostMemoryUsedRatio, of(uncorrectedEccEvents));
    return List.of(rt.build(), nc.build(), sys.build());
  }

  private static OptionalDouble of(OptionalLong v) {
    return v.isPresent() ? OptionalDouble.of(v.getAsLong()) : OptionalDouble.empty();
  }
}
