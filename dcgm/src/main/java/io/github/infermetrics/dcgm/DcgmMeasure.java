package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.kpi.Kpi;
import io.github.infermetrics.core.kpi.KpiStatistic;
import io.github.infermetrics.core.kpi.KpiUnit;
import io.github.infermetrics.core.kpi.Measure;
import java.util.Optional;

/**
 * What {@link DcgmKpis} reports per GPU (or MIG instance) and, for the ones marked, per node and per pod. Ratios
 * are 0 to 1, memory in bytes, clocks in hertz, throughput in bytes per second.
 */
public enum DcgmMeasure implements Measure {
  /** Busy fraction: graphics engine active, else GPU_UTIL ({@link GpuKpis#utilizationSource()}); node and pod. */
  UTILIZATION(Kpi.ACCELERATOR_UTILIZATION, "UTIL"),
  /** {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE} as it is. */
  GR_ENGINE_ACTIVE("gr_engine_active", KpiUnit.RATIO, "GR ACT", "Ratio of time the graphics engine was active"),
  /** {@code DCGM_FI_DEV_GPU_UTIL} as a ratio. */
  GPU_UTIL("gpu_util", KpiUnit.RATIO, "GPU UTIL", "Ratio of time one or more kernels ran"),
  /** Ratio of cycles an SM had a warp assigned. */
  SM_ACTIVE("sm_active", KpiUnit.RATIO, "SM ACT", "Ratio of cycles an SM had at least one warp assigned"),
  /** Resident warps over the maximum. */
  SM_OCCUPANCY("sm_occupancy", KpiUnit.RATIO, "SM OCC", "Ratio of resident warps to the maximum per SM"),
  /** Ratio of cycles the tensor pipe was active. */
  TENSOR_ACTIVE("tensor_active", KpiUnit.RATIO, "TENSOR", "Ratio of cycles the tensor pipe was active"),
  /** Ratio of cycles the memory interface was busy. */
  DRAM_ACTIVE("dram_active", KpiUnit.RATIO, "DRAM", "Ratio of cycles the device memory interface was busy"),
  /** Ratio of time memory was read or written ({@code DCGM_FI_DEV_MEM_COPY_UTIL}). */
  MEMORY_COPY("memory_copy", KpiUnit.RATIO, "MEMCPY", "Ratio of time device memory was read or written"),
  /** Framebuffer used, bytes; node and pod. */
  MEMORY_USED(Kpi.ACCELERATOR_MEMORY_USED, "MEM USED"),
  /** Framebuffer free, bytes. */
  MEMORY_FREE("memory_free", KpiUnit.BYTES, "MEM FREE", "Accelerator memory free"),
  /** Framebuffer in total, bytes; node and pod. */
  MEMORY_TOTAL(Kpi.ACCELERATOR_MEMORY_TOTAL, "MEM TOTAL"),
  /** Used over total; node and pod. */
  MEMORY_USED_RATIO("memory_used", KpiUnit.RATIO, "MEM RATIO", "Accelerator memory used over total"),
  /** Power draw at the end of the window, W; node and pod. */
  POWER(Kpi.POWER, "POWER W"),
  /** Power limit, W. */
  POWER_LIMIT("power_limit", KpiUnit.WATTS, "LIMIT W", "Power management limit"),
  /** Mean power over the window from the energy counter, W; node and pod. */
  AVERAGE_POWER(Kpi.AVERAGE_POWER, "AVG W"),
  /** GPU temperature, °C. */
  TEMPERATURE("temperature", KpiUnit.CELSIUS, "TEMP C", "GPU temperature"),
  /** Memory temperature, °C. */
  MEMORY_TEMPERATURE("memory_temperature", KpiUnit.CELSIUS, "MEM C", "GPU memory temperature"),
  /** SM clock, Hz. */
  SM_CLOCK("sm_clock", KpiUnit.HERTZ, "SM CLOCK", "SM clock"),
  /** Memory clock, Hz. */
  MEMORY_CLOCK("memory_clock", KpiUnit.HERTZ, "MEM CLOCK", "Memory clock"),
  /** The last XID error's code, 0 for none: a code, not a count. */
  XID_ERROR("xid_error", KpiUnit.COUNT, "XID", "Code of the last XID error, 0 for none"),
  /** PCIe bytes transmitted per second. */
  PCIE_TRANSMIT("pcie_transmit", KpiUnit.BYTES_PER_SECOND, "PCIE TX", "PCIe bytes transmitted per second"),
  /** PCIe bytes received per second. */
  PCIE_RECEIVE("pcie_receive", KpiUnit.BYTES_PER_SECOND, "PCIE RX", "PCIe bytes received per second"),
  /** PCIe retries per second over the window. */
  PCIE_REPLAYS("pcie_replays", KpiUnit.PER_SECOND, "REPLAY/S", "PCIe retries per second"),
  /** NVLink bytes transmitted per second. */
  NVLINK_TRANSMIT("nvlink_transmit", KpiUnit.BYTES_PER_SECOND, "NVL TX", "NVLink bytes transmitted per second"),
  /** NVLink bytes received per second. */
  NVLINK_RECEIVE("nvlink_receive", KpiUnit.BYTES_PER_SECOND, "NVL RX", "NVLink bytes received per second"),
  /** NVLink bytes per second, both directions. */
  NVLINK_THROUGHPUT("nvlink_throughput", KpiUnit.BYTES_PER_SECOND, "NVLINK",
      "NVLink bytes per second, transmitted and received"),
  /** 1 for each clock-event reason active at the end of the window, by {@code reason}. */
  CLOCK_EVENT("clock_event", KpiUnit.COUNT, "CLOCK EVENT", "1 while a clock-event (throttle) reason is active"),
  /** Accelerators counted: GPUs, and MIG instances in place of their GPU; node and pod. */
  DEVICES(Kpi.ACCELERATOR_COUNT, "GPUS");

  private final String id;
  private final KpiUnit unit;
  private final String header;
  private final Kpi kpi;
  private final String description;

  DcgmMeasure(String id, KpiUnit unit, String header, String description) {
    this.id = id;
    this.unit = unit;
    this.header = header;
    this.kpi = null;
    this.description = description;
  }

  DcgmMeasure(Kpi kpi, String header) {
    this.id = kpi.id();
    this.unit = kpi.unit();
    this.header = header;
    this.kpi = kpi;
    this.description = kpi.description();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public KpiUnit unit() {
    return unit;
  }

  @Override
  public KpiStatistic statistic() {
    return KpiStatistic.VALUE;
  }

  @Override
  public String header() {
    return header;
  }

  @Override
  public Optional<Kpi> kpi() {
    return Optional.ofNullable(kpi);
  }

  @Override
  public String description() {
    return description;
  }
}
