package io.github.infermetrics.dcgm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One GPU's (or MIG instance's) KPIs over a window ({@link DcgmKpis#between}): gauges at the end of the window,
 * rates from the counters over it; absent where the exporter gives nothing. Immutable.
 *
 * <pre>{@code
 * GpuKpis g = kpis.gpu("GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e").orElseThrow();
 * g.get(DcgmMeasure.UTILIZATION);          // 0.42
 * g.utilizationSource();                   // Optional[GR_ENGINE_ACTIVE]
 * g.get(DcgmMeasure.AVERAGE_POWER);        // W, from the energy counter
 * g.clockEventReasons();                   // [sw_power_cap]
 * }</pre>
 */
public final class GpuKpis {
  private final DcgmGpu gpu;
  private final Map<DcgmMeasure, Double> values;
  private final Optional<UtilizationSource> utilizationSource;
  private final List<String> clockEventReasons;
  private final boolean reset;

  GpuKpis(DcgmGpu gpu, Map<DcgmMeasure, Double> values, Optional<UtilizationSource> utilizationSource,
      List<String> clockEventReasons, boolean reset) {
    this.gpu = Objects.requireNonNull(gpu, "gpu");
    Map<DcgmMeasure, Double> v = new EnumMap<>(DcgmMeasure.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
    this.utilizationSource = utilizationSource;
    this.clockEventReasons = List.copyOf(clockEventReasons);
    this.reset = reset;
  }

  /**
   * The GPU or instance as the later scrape describes it (labels, pods, raw fields).
   *
   * @return the GPU
   */
  public DcgmGpu gpu() {
    return gpu;
  }

  /**
   * The KPI {@code device}: the GPU's UUID.
   *
   * @return the device
   */
  public String device() {
    return gpu.device();
  }

  /**
   * One measure.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(DcgmMeasure measure) {
    Double v = values.get(Objects.requireNonNull(measure, "measure"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Every present measure.
   *
   * @return an unmodifiable map in {@link DcgmMeasure} order
   */
  public Map<DcgmMeasure, Double> values() {
    return values;
  }

  /**
   * Which field {@link DcgmMeasure#UTILIZATION} came from.
   *
   * @return the field, or empty when the GPU reports neither
   */
  public Optional<UtilizationSource> utilizationSource() {
    return utilizationSource;
  }

  /**
   * The clock-event (throttle) reasons active at the end of the window, decoded ({@link ClockEventReason}).
   *
   * @return the names, for example {@code [gpu_idle]}; empty when none is active or the field is not exported
   */
  public List<String> clockEventReasons() {
    return clockEventReasons;
  }

  /**
   * Whether a counter (energy, PCIe retries) went down in the window: the driver was reloaded, and the rates
   * count from the reload, as PromQL's {@code increase} does.
   *
   * @return true after a reset
   */
  public boolean reset() {
    return reset;
  }

  @Override
  public String toString() {
    return "GpuKpis{" + gpu.device() + gpu.migInstance().map(i -> " GI " + i).orElse("") + " " + values + "}";
  }
}
