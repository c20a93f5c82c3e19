package io.github.infermetrics.triton;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One GPU as Triton reports it through DCGM ({@code --allow-gpu-metrics}); each family may be absent.
 *
 * @param uuid the {@code gpu_uuid} label
 * @param utilization {@code nv_gpu_utilization}, busy fraction 0 to 1
 * @param memoryTotalBytes {@code nv_gpu_memory_total_bytes}
 * @param memoryUsedBytes {@code nv_gpu_memory_used_bytes}
 * @param powerWatts {@code nv_gpu_power_usage}
 * @param powerLimitWatts {@code nv_gpu_power_limit}
 * @param energyJoules {@code nv_energy_consumption}, joules since the server started (a counter)
 */
public record GpuStats(String uuid, OptionalDouble utilization, OptionalDouble memoryTotalBytes,
    OptionalDouble memoryUsedBytes, OptionalDouble powerWatts, OptionalDouble powerLimitWatts,
    OptionalDouble energyJoules) {
  /**
   * Validates.
   *
   * @param uuid the GPU UUID; not blank
   * @param utilization busy fraction
   * @param memoryTotalBytes total memory
   * @param memoryUsedBytes used memory
   * @param powerWatts power draw
   * @param powerLimitWatts power limit
   * @param energyJoules energy since start
   */
  public GpuStats {
    if (Objects.requireNonNull(uuid, "uuid").isBlank()) {
      throw new IllegalArgumentException("uuid must not be blank");
    }
    Objects.requireNonNull(utilization, "utilization");
    Objects.requireNonNull(memoryTotalBytes, "memoryTotalBytes");
    Objects.requireNonNull(memoryUsedBytes, "memoryUsedBytes");
    Objects.requireNonNull(powerWatts, "powerWatts");
    Objects.requireNonNull(powerLimitWatts, "powerLimitWatts");
    Objects.requireNonNull(energyJoules, "energyJoules");
  }
}
