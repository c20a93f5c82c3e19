package io.github.infermetrics.dcgm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a GPU's clocks are held below their maximum: the bits of {@code DCGM_FI_DEV_CLOCKS_EVENT_REASONS} (formerly
 * {@code DCGM_FI_DEV_CLOCK_THROTTLE_REASONS}), as DCGM's {@code DCGM_CLOCKS_EVENT_REASON_*} constants define them.
 *
 * <pre>{@code
 * ClockEventReason.names(0x5);   // [gpu_idle, sw_power_cap]
 * ClockEventReason.names(0x200); // [unknown_0x200]
 * }</pre>
 */
public enum ClockEventReason {
  /** Nothing runs on the GPU: the clocks are down because it is idle (harmless). */
  GPU_IDLE(0x1),
  /** The applications clocks setting holds them. */
  CLOCKS_SETTING(0x2),
  /** Software power capping: the GPU would exceed its power limit. */
  SW_POWER_CAP(0x4),
  /** Hardware slowdown (temperature, power brake or fast-trigger protection), by a factor of 2 or more. */
  HW_SLOWDOWN(0x8),
  /** A sync-boost group holds this GPU at the group's clocks. */
  SYNC_BOOST(0x10),
  /** Software thermal slowdown: GPU or memory temperature near its maximum operating temperature. */
  SW_THERMAL(0x20),
  /** Hardware thermal slowdown: the temperature is too high. */
  HW_THERMAL(0x40),
  /** Hardware power brake: the system's power supply asserted the brake. */
  HW_POWER_BRAKE(0x80),
  /** The display clocks setting holds them. */
  DISPLAY_CLOCKS(0x100);

  private final long bit;

  ClockEventReason(long bit) {
    this.bit = bit;
  }

  /**
   * The reason's bit.
   *
   * @return for example {@code 0x4} for {@link #SW_POWER_CAP}
   */
  public long bit() {
    return bit;
  }

  /**
   * The reason's name in KPI dimensions and tables.
   *
   * @return lower case, for example {@code sw_power_cap}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Decodes a bitmask into names, in bit order; bits DCGM does not define (yet) come as {@code unknown_0x...}.
   *
   * @param mask the field's value
   * @return the names; empty for 0
   */
  public static List<String> names(long mask) {
    List<String> out = new ArrayList<>();
    long known = 0;
    for (ClockEventReason r : values()) {
      known |= r.bit;
      if ((mask & r.bit) != 0) {
        out.add(r.label());
      }
    }
    long rest = mask & ~known;
    while (rest != 0) {
      long low = Long.lowestOneBit(rest);
      out.add("unknown_0x" + Long.toHexString(low));
      rest &= ~low;
    }
    return out;
  }
}
