package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.series.Rates;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The KPIs of one Neuron runtime over the window between two scrapes: execution and error rates from the counters'
 * increase, the latency percentiles, NeuronCore utilization, memory and vCPU usage from the current scrape's
 * gauges. Built by {@link NeuronPrometheusKpis#between}.
 *
 * <p>Increases follow PromQL's reset rule ({@link Rates#increase}: a counter that went down restarted from 0). A
 * series the previous scrape did not have counts from 0: the converter creates a series at 0 when a runtime first
 * reports it, so all of its count happened in the window (Prometheus does the same with created-timestamp zero
 * ingestion; plain {@code irate} would leave the first window out). A value the window cannot give is empty, never
 * 0 or NaN. Immutable.
 */
public final class NeuronRuntimeKpis {
  private final NeuronRuntime runtime;
  private final boolean isNew;
  private final boolean counterReset;
  private final double windowSeconds;
  private final Map<String, Double> statusIncrease;
  private final Map<String, Double> errorIncrease;

  private NeuronRuntimeKpis(NeuronRuntime runtime, boolean isNew, boolean counterReset, double windowSeconds,
      Map<String, Double> statusIncrease, Map<String, Double> errorIncrease) {
    this.runtime = runtime;
    this.isNew = isNew;
    this.counterReset = counterReset;
    this.windowSeconds = windowSeconds;
    this.statusIncrease = statusIncrease;
    this.errorIncrease = errorIncrease;
  }

  /**
   * The KPIs of a runtime.
   *
   * @param previous the runtime in the previous scrape, or {@code null} when it is new
   * @param current the runtime in the current scrape
   * @param windowSeconds the time between the scrapes
   */
  static NeuronRuntimeKpis of(NeuronRuntime previous, NeuronRuntime current, double windowSeconds) {
    Objects.requireNonNull(current, "current");
    boolean[] reset = {false};
    Map<String, Double> status = increases(previous == null ? Map.of() : previous.executionStatus(),
        current.executionStatus(), reset);
    Map<String, Double> errors = increases(previous == null ? Map.of() : previous.executionErrors(),
        current.executionErrors(), reset);
    return new NeuronRuntimeKpis(current, previous == null, reset[0], windowSeconds, status, errors);
  }

  /** Each series' increase; a series new in the window counts from 0, a non-finite increase is left out. */
  static Map<String, Double> increases(Map<String, Double> previous, Map<String, Double> current, boolean[] reset) {
    Map<String, Double> out = new TreeMap<>();
    current.forEach((key, now) -> {
      double before = previous.getOrDefault(key, 0.0);
      double inc = Rates.increase(before, now);
      if (now < before) {
        reset[0] = true;
      }
      if (Double.isFinite(inc)) {
        out.put(key, inc);
      }
    });
    return Collections.unmodifiableMap(out);
  }

  /**
   * The runtime tag.
   *
   * @return {@code runtime_tag}
   */
  public String tag() {
    return runtime.tag();
  }

  /**
   * The runtime as the current scrape shows it.
   *
   * @return the runtime
   */
  public NeuronRuntime runtime() {
    return runtime;
  }

  /**
   * Whether the runtime started in the window (the previous scrape did not have it).
   *
   * @return true when it is new
   */
  public boolean isNew() {
    return isNew;
  }

  /**
   * Whether a counter of the runtime went down in the window: the converter restarted (or cleared its series
   * because no runtime was running) between the scrapes.
   *
   * @return true when a counter restarted
   */
  public boolean counterReset() {
    return counterReset;
  }

  /**
   * Executions that ended in the window, every status.
   *
   * @return the sum of the {@code execution_status_total} increases, or empty when the scrape has none
   */
  public OptionalDouble executionsInWindow() {
    return sum(statusIncrease, null, false);
  }

  /**
   * Execution errors counted in the window, every type.
   *
   * @return the sum of the {@code execution_errors_total} increases, or empty when the scrape has none
   */
  public OptionalDouble errorsInWindow() {
    return sum(errorIncrease, null, false);
  }

  /**
   * Executions per second by {@code status_type}.
   *
   * @return rate by status, sorted by status
   */
  public Map<String, Double> executionRates() {
    return perSecond(statusIncrease);
  }

  /**
   * Executions per second, every status (successful or not).
   *
   * @return the rate, or empty when the scrape has no execution counters
   */
  public OptionalDouble executionRate() {
    return perSecond(sum(statusIncrease, null, false));
  }

  /**
   * Executions per second that completed without error ({@code status_type="completed"}).
   *
   * @return the rate, or empty
   */
  public OptionalDouble completedRate() {
    return perSecond(sum(statusIncrease, NeuronRuntime.COMPLETED, false));
  }

  /**
   * Executions per second with any other status (with errors, timed out, bad input, not queued), as the official
   * Grafana dashboard's error rate {@code sum(rate(execution_status_total{status_type!="completed"}[1m]))}.
   *
   * @return the rate, or empty
   */
  public OptionalDouble failedExecutionRate() {
    return perSecond(sum(statusIncrease, NeuronRuntime.COMPLETED, true));
  }

  /**
   * Execution errors per second by {@code error_type}.
   *
   * @return rate by error type, sorted by type
   */
  public Map<String, Double> errorRates() {
    return perSecond(errorIncrease);
  }

  /**
   * Execution errors per second, every type.
   *
   * @return the rate, or empty
   */
  public OptionalDouble errorRate() {
    return perSecond(sum(errorIncrease, null, false));
  }

  /**
   * Errors of each type over the executions in the window: Δ{@code execution_errors_total{error_type}} /
   * Σ Δ{@code execution_status_total}.
   *
   * @return ratio by error type; empty when nothing ended in the window
   */
  public Map<String, Double> errorRatios() {
    OptionalDouble executions = executionsInWindow();
    if (executions.isEmpty() || !(executions.getAsDouble() > 0)) {
      return Map.of();
    }
    Map<String, Double> out = new LinkedHashMap<>();
    errorIncrease.forEach((type, inc) -> out.put(type, inc / executions.getAsDouble()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Errors over executions in the window, as neuron-monitor's Σ {@code error_summary} / Σ
   * {@code execution_summary}. Can exceed 1 if one execution counts several errors.
   *
   * @return the ratio, or empty when nothing ended in the window
   */
  public OptionalDouble errorRatio() {
    OptionalDouble executions = executionsInWindow();
    OptionalDouble errors = errorsInWindow();
    if (executions.isEmpty() || errors.isEmpty() || !(executions.getAsDouble() > 0)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(errors.getAsDouble() / executions.getAsDouble());
  }

  /**
   * A latency percentile ({@code total_latency}, host and device) of the current scrape, when executions ended in
   * the window. The converter keeps the last value through periods without executions, so a window without
   * executions would show a stale latency; it is empty instead. The value is that of the last neuron-monitor
   * period with executions, not of the whole window.
   *
   * @param percentile {@code p0}, {@code p1}, {@code p25}, {@code p50}, {@code p75}, {@code p99} or {@code p100}
   * @return the latency in seconds, or empty
   */
  public OptionalDouble latency(String percentile) {
    OptionalDouble executions = executionsInWindow();
    if (executions.isEmpty() || !(executions.getAsDouble() > 0)) {
      return OptionalDouble.empty();
    }
    return finite(runtime.latency(percentile));
  }

  /**
   * The median latency, see {@link #latency(String)}.
   *
   * @return seconds, or empty
   */
  public OptionalDouble latencyP50() {
    return latency("p50");
  }

  /**
   * The 99th percentile latency, see {@link #latency(String)}.
   *
   * @return seconds, or empty
   */
  public OptionalDouble latencyP99() {
    return latency("p99");
  }

  /**
   * Device-only latency. neuron-monitor measures it ({@code device_latency}), but neuron-monitor-prometheus.py
   * does not export it, so a scrape never has it; the JSON report does.
   *
   * @param percentile the percentile
   * @return always empty
   */
  public OptionalDouble deviceLatency(String percentile) {
    Objects.requireNonNull(percentile, "percentile");
    return OptionalDouble.empty();
  }

  /**
   * NeuronCore utilization by core index, 0 to 1, over the last neuron-monitor period.
   *
   * @return utilization by core, sorted by index
   */
  public Map<Integer, Double> neuroncoreUtilization() {
    Map<Integer, Double> out = new TreeMap<>();
    for (NeuronCoreUsage c : runtime.neuroncores()) {
      finite(c.utilization()).ifPresent(u -> out.put(c.index(), u));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The mean utilization over the cores the runtime reported. The converter reports every core of the instance
   * for every runtime, so this includes cores the runtime does not use.
   *
   * @return the mean, or empty
   */
  public OptionalDouble utilizationAvg() {
    return neuroncoreUtilization().values().stream().mapToDouble(Double::doubleValue).average();
  }

  /**
   * The utilization of the busiest core.
   *
   * @return the maximum, or empty
   */
  public OptionalDouble utilizationMax() {
    return neuroncoreUtilization().values().stream().mapToDouble(Double::doubleValue).max();
  }

  /**
   * NeuronCore memory of this runtime by core index, the five memory types summed.
   *
   * @return bytes by core, sorted by index
   */
  public Map<Integer, Double> neuroncoreMemoryBytes() {
    Map<Integer, Double> out = new TreeMap<>();
    for (NeuronCoreUsage c : runtime.neuroncores()) {
      finite(c.memoryTotalBytes()).ifPresent(m -> out.put(c.index(), m));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Device (HBM) memory in use.
   *
   * @return bytes, or empty
   */
  public OptionalDouble deviceMemoryUsedBytes() {
    return finite(runtime.deviceMemoryUsedBytes());
  }

  /**
   * Host memory in use.
   *
   * @return bytes, or empty
   */
  public OptionalDouble hostMemoryUsedBytes() {
    return finite(runtime.hostMemoryUsedBytes());
  }

  /**
   * The runtime's vCPU usage in user mode.
   *
   * @return 0 to 1, as the converter reports it, or empty
   */
  public OptionalDouble vcpuUserRatio() {
    return finite(value(runtime.vcpuUsage(), "user"));
  }

  /**
   * The runtime's vCPU usage in kernel mode.
   *
   * @return 0 to 1, or empty
   */
  public OptionalDouble vcpuSystemRatio() {
    return finite(value(runtime.vcpuUsage(), "system"));
  }

  private Map<String, Double> perSecond(Map<String, Double> increases) {
    Map<String, Double> out = new LinkedHashMap<>();
    increases.forEach((k, v) -> out.put(k, v / windowSeconds));
    return Collections.unmodifiableMap(out);
  }

  private OptionalDouble perSecond(OptionalDouble increase) {
    return increase.isPresent() ? OptionalDouble.of(increase.getAsDouble() / windowSeconds) : increase;
  }

  /** The sum of the increases, only {@code key} or all but {@code key} when given; empty without any. */
  private static OptionalDouble sum(Map<String, Double> increases, String key, boolean allBut) {
    double sum = 0;
    boolean any = false;
    for (Map.Entry<String, Double> e : increases.entrySet()) {
      if (key == null || e.getKey().equals(key) != allBut) {
        sum += e.getValue();
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  private static OptionalDouble value(Map<String, Double> m, String key) {
    Double v = m.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  static OptionalDouble finite(OptionalDouble v) {
    return v.isPresent() && !Double.isFinite(v.getAsDouble()) ? OptionalDouble.empty() : v;
  }

  @Override
  public String toString() {
    return "NeuronRuntimeKpis{" + runtime.tag() + (isNew ? ", new" : "") + ", " + executionRate() + " exec/s}";
  }
}
