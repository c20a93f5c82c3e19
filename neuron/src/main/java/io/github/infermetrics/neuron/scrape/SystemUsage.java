package io.github.infermetrics.neuron.scrape;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The host's system metrics: {@code system_vcpu_count}, {@code system_vcpu_usage_ratio} and the four
 * {@code system_memory_*} / {@code system_swap_*} gauges. A value the scrape does not have is empty.
 *
 * @param vcpuCount the number of vCPUs
 * @param vcpuUsage busy fraction by {@code usage_type}: {@code user} (user + nice) and {@code system} (system +
 *     io_wait + irq + soft_irq), 0 to 1, sorted by type
 * @param memoryTotalBytes host memory in total
 * @param memoryUsedBytes host memory in use
 * @param swapTotalBytes swap in total
 * @param swapUsedBytes swap in use
 */
public record SystemUsage(OptionalDouble vcpuCount, Map<String, Double> vcpuUsage, OptionalDouble memoryTotalBytes,
    OptionalDouble memoryUsedBytes, OptionalDouble swapTotalBytes, OptionalDouble swapUsedBytes) {
  /**
   * Validates and copies.
   *
   * @param vcpuCount the number of vCPUs
   * @param vcpuUsage busy fraction by usage type
   * @param memoryTotalBytes host memory in total
   * @param memoryUsedBytes host memory in use
   * @param swapTotalBytes swap in total
   * @param swapUsedBytes swap in use
   */
  public SystemUsage {
    Objects.requireNonNull(vcpuCount, "vcpuCount");
    vcpuUsage = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(vcpuUsage, "vcpuUsage")));
    Objects.requireNonNull(memoryTotalBytes, "memoryTotalBytes");
    Objects.requireNonNull(memoryUsedBytes, "memoryUsedBytes");
    Objects.requireNonNull(swapTotalBytes, "swapTotalBytes");
    Objects.requireNonNull(swapUsedBytes, "swapUsedBytes");
  }

  /**
   * The used fraction of host memory.
   *
   * @return used / total, or empty when either is missing or the total is 0
   */
  public OptionalDouble memoryUsedRatio() {
    if (memoryTotalBytes.isEmpty() || memoryUsedBytes.isEmpty() || !(memoryTotalBytes.getAsDouble() > 0)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(memoryUsedBytes.getAsDouble() / memoryTotalBytes.getAsDouble());
  }
}
