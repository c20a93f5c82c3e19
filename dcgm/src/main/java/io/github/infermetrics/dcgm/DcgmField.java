package io.github.infermetrics.dcgm;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The DCGM fields that {@link DcgmSnapshot} reads, each with the family names dcgm-exporter gives it and the
 * conversion to a base unit: MiB to bytes, percent to a ratio from 0 to 1, millijoules to joules, MHz to hertz,
 * KB/s to bytes per second. A field with two names is read under either (the first when a scrape has both):
 * {@code DCGM_FI_DEV_CLOCKS_EVENT_REASONS} is DCGM's newer name of {@code DCGM_FI_DEV_CLOCK_THROTTLE_REASONS}.
 * Names are matched ignoring case, as some collectors lower-case them ({@code dcgm_fi_prof_gr_engine_active}).
 *
 * <pre>{@code
 * DcgmField.ofFamily("DCGM_FI_DEV_FB_USED");       // Optional[FB_USED]
 * DcgmField.FB_USED.toBase(1024);                  // 1073741824.0 bytes
 * }</pre>
 *
 * <p>What the fields mean, from DCGM's {@code dcgm_fields.h} and dcgm-exporter's {@code etc/default-counters.csv}
 * and {@code etc/dcp-metrics-included.csv}: the {@code DCGM_FI_PROF_*} fields (profiling, Volta and newer) are
 * ratios over DCGM's sample period; {@code DCGM_FI_DEV_GPU_UTIL} is the percent of time a kernel ran, and is not
 * reported for MIG instances. {@code DCGM_FI_PROF_PCIE_*_BYTES} and {@code DCGM_FI_PROF_NVLINK_*_BYTES} are rates in
 * bytes per second even where an older exporter declared them counters; {@code DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL}
 * is a rate too, despite its {@code # TYPE counter}: DCGM publishes KiB/s divided by 1000 (dcgm-exporter issue
 * #417, pull request #658). {@code DCGM_FI_DEV_PCIE_*_THROUGHPUT} is NVML's PCIe throughput in KB/s.
 */
public enum DcgmField {
  /** Ratio of time the graphics (compute) engine was active; the utilisation to trust where it exists. */
  GR_ENGINE_ACTIVE(Conversion.RATIO, false, "DCGM_FI_PROF_GR_ENGINE_ACTIVE"),
  /** Percent of time one or more kernels ran: the fallback utilisation (not under MIG). */
  GPU_UTIL(Conversion.PERCENT, false, "DCGM_FI_DEV_GPU_UTIL"),
  /** Ratio of cycles an SM had at least one warp assigned. */
  SM_ACTIVE(Conversion.RATIO, false, "DCGM_FI_PROF_SM_ACTIVE"),
  /** Ratio of warps resident on an SM to its maximum. */
  SM_OCCUPANCY(Conversion.RATIO, false, "DCGM_FI_PROF_SM_OCCUPANCY"),
  /** Ratio of cycles the tensor (HMMA) pipe was active. */
  TENSOR_ACTIVE(Conversion.RATIO, false, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE"),
  /** Ratio of cycles the device memory interface was sending or receiving. */
  DRAM_ACTIVE(Conversion.RATIO, false, "DCGM_FI_PROF_DRAM_ACTIVE"),
  /** Percent of time device memory was read or written. */
  MEM_COPY_UTIL(Conversion.PERCENT, false, "DCGM_FI_DEV_MEM_COPY_UTIL"),
  /** Framebuffer memory used, MiB. */
  FB_USED(Conversion.MIB, false, "DCGM_FI_DEV_FB_USED"),
  /** Framebuffer memory free, MiB. */
  FB_FREE(Conversion.MIB, false, "DCGM_FI_DEV_FB_FREE"),
  /** Framebuffer memory in total, MiB. */
  FB_TOTAL(Conversion.MIB, false, "DCGM_FI_DEV_FB_TOTAL"),
  /** Framebuffer memory the driver reserves, MiB (newer drivers: total = used + free + reserved). */
  FB_RESERVED(Conversion.MIB, false, "DCGM_FI_DEV_FB_RESERVED"),
  /** DCGM's used / (total - reserved), 0 to 1. */
  FB_USED_PERCENT(Conversion.RATIO, false, "DCGM_FI_DEV_FB_USED_PERCENT"),
  /** Power draw, W. */
  POWER_USAGE(Conversion.NONE, false, "DCGM_FI_DEV_POWER_USAGE"),
  /** Power management limit, W (or the enforced limit where only that is exported). */
  POWER_LIMIT(Conversion.NONE, false, "DCGM_FI_DEV_POWER_MGMT_LIMIT", "DCGM_FI_DEV_ENFORCED_POWER_LIMIT"),
  /** Energy since the driver was loaded: a counter in mJ, read in J. */
  TOTAL_ENERGY(Conversion.MILLI, true, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"),
  /** GPU temperature, °C. */
  GPU_TEMP(Conversion.NONE, false, "DCGM_FI_DEV_GPU_TEMP"),
  /** Memory temperature, °C. */
  MEMORY_TEMP(Conversion.NONE, false, "DCGM_FI_DEV_MEMORY_TEMP"),
  /** SM clock, MHz, read in Hz. */
  SM_CLOCK(Conversion.MEGA, false, "DCGM_FI_DEV_SM_CLOCK"),
  /** Memory clock, MHz, read in Hz. */
  MEM_CLOCK(Conversion.MEGA, false, "DCGM_FI_DEV_MEM_CLOCK"),
  /** The last XID error's code (a gauge; 0 when there was none). */
  XID_ERRORS(Conversion.NONE, false, "DCGM_FI_DEV_XID_ERRORS"),
  /** PCIe bytes transmitted per second (profiling). */
  PCIE_TX_BYTES(Conversion.NONE, false, "DCGM_FI_PROF_PCIE_TX_BYTES"),
  /** PCIe bytes received per second (profiling). */
  PCIE_RX_BYTES(Conversion.NONE, false, "DCGM_FI_PROF_PCIE_RX_BYTES"),
  /** PCIe transmit throughput, KB/s (NVML; deprecated in favour of the profiling field). */
  PCIE_TX_THROUGHPUT(Conversion.KIBI, false, "DCGM_FI_DEV_PCIE_TX_THROUGHPUT"),
  /** PCIe receive throughput, KB/s (NVML; deprecated in favour of the profiling field). */
  PCIE_RX_THROUGHPUT(Conversion.KIBI, false, "DCGM_FI_DEV_PCIE_RX_THROUGHPUT"),
  /** PCIe retries since the driver was loaded: a counter. */
  PCIE_REPLAYS(Conversion.NONE, true, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER"),
  /** NVLink bytes transmitted per second, all links (profiling). */
  NVLINK_TX_BYTES(Conversion.NONE, false, "DCGM_FI_PROF_NVLINK_TX_BYTES"),
  /** NVLink bytes received per second, all links (profiling). */
  NVLINK_RX_BYTES(Conversion.NONE, false, "DCGM_FI_PROF_NVLINK_RX_BYTES"),
  /** NVLink throughput, transmit and receive, all lanes: KiB/s / 1000, read in bytes per second. */
  NVLINK_BANDWIDTH_TOTAL(Conversion.NVLINK_UNITS, false, "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL",
      "DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL"),
  /** Why the clocks are held down: a bitmask of {@link ClockEventReason}s. */
  CLOCK_EVENT_REASONS(Conversion.NONE, false, "DCGM_FI_DEV_CLOCKS_EVENT_REASONS",
      "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS");

  /** How a raw value becomes a base-unit value. */
  private enum Conversion {
    NONE(1), RATIO(1), PERCENT(0.01), MIB(1024.0 * 1024.0), MILLI(0.001), MEGA(1e6), KIBI(1024),
    NVLINK_UNITS(1000 * 1024.0);

    final double factor;

    Conversion(double factor) {
      this.factor = factor;
    }
  }

  private static final Map<String, DcgmField> BY_NAME = new HashMap<>();

  static {
    for (DcgmField f : values()) {
      for (String n : f.names) {
        BY_NAME.put(n, f);
      }
    }
  }

  private final Conversion conversion;
  private final boolean counter;
  private final List<String> names;

  DcgmField(Conversion conversion, boolean counter, String... names) {
    this.conversion = conversion;
    this.counter = counter;
    this.names = List.of(names);
  }

  /**
   * The family names dcgm-exporter gives this field, the preferred first.
   *
   * @return for example {@code [DCGM_FI_DEV_CLOCKS_EVENT_REASONS, DCGM_FI_DEV_CLOCK_THROTTLE_REASONS]}
   */
  public List<String> names() {
    return names;
  }

  /**
   * The field's usual family name.
   *
   * @return for example {@code DCGM_FI_DEV_FB_USED}
   */
  public String familyName() {
    return names.get(0);
  }

  /**
   * Whether the field counts up from the driver's load (energy, PCIe retries): a window gives its increase.
   *
   * @return true for counters
   */
  public boolean counter() {
    return counter;
  }

  /**
   * A raw value in the field's base unit: bytes, a 0–1 ratio, joules, hertz, bytes per second, watts, °C.
   *
   * @param raw the exporter's value
   * @return the value in the base unit
   */
  public double toBase(double raw) {
    return raw * conversion.factor;
  }

  /**
   * Which name of this field a family name is: 0 for the preferred.
   *
   * @param familyName a family name, any case
   * @return its position in {@link #names()}, or -1
   */
  int rank(String familyName) {
    return names.indexOf(familyName.toUpperCase(Locale.ROOT));
  }

  /**
   * The field a family is.
   *
   * @param familyName a family name, any case
   * @return the field, or empty for a family this library does not read
   */
  public static Optional<DcgmField> ofFamily(String familyName) {
    return Optional.ofNullable(BY_NAME.get(familyName.toUpperCase(Locale.ROOT)));
  }
}
