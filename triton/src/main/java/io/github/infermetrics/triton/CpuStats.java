package io.github.infermetrics.triton;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The host as Triton reports it ({@code --allow-cpu-metrics}, Linux only); each family may be absent.
 *
 * @param utilization {@code nv_cpu_utilization}, busy fraction 0 to 1
 * @param memoryTotalBytes {@code nv_cpu_memory_total_bytes}
 * @param memoryUsedBytes {@code nv_cpu_memory_used_bytes}
 */
public record CpuStats(OptionalDouble utilization, OptionalDouble memoryTotalBytes, OptionalDouble memoryUsedBytes) {
  /**
   * Validates.
   *
   * @param utilization busy fraction
   * @param memoryTotalBytes total memory
   * @param memoryUsedBytes used memory
   */
  public CpuStats {
    Objects.requireNonNull(utilization, "utilization");
    Objects.requireNonNull(memoryTotalBytes, "memoryTotalBytes");
    Objects.requireNonNull(memoryUsedBytes, "memoryUsedBytes");
  }
}
