package io.github.infermetrics.neuron.scrape;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What one runtime reported for one NeuronCore: {@code neuroncore_utilization_ratio} and the five
 * {@code neuroncore_memory_usage_*} gauges.
 *
 * @param index the NeuronCore index (label {@code neuroncore}), flat across devices
 * @param utilization the busy fraction over the last neuron-monitor period, 0 to 1; empty when not exported
 * @param memoryBytes bytes by memory type ({@code constants}, {@code model_code}, {@code model_shared_scratchpad},
 *     {@code runtime_memory}, {@code tensors}), sorted by type
 */
public record NeuronCoreUsage(int index, OptionalDouble utilization, Map<String, Double> memoryBytes) {
  /**
   * Validates and copies.
   *
   * @param index the index; not negative
   * @param utilization the utilization
   * @param memoryBytes bytes by memory type
   */
  public NeuronCoreUsage {
    if (index < 0) {
      throw new IllegalArgumentException("index: a NeuronCore index is not negative: " + index);
    }
    Objects.requireNonNull(utilization, "utilization");
    memoryBytes = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(memoryBytes, "memoryBytes")));
  }

  /**
   * The NeuronCore memory of this runtime in total, as the CloudWatch agent's
   * {@code neuroncore_memory_usage_total}.
   *
   * @return the sum of the memory types, or empty when none was exported
   */
  public OptionalDouble memoryTotalBytes() {
    if (memoryBytes.isEmpty()) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    for (double v : memoryBytes.values()) {
      sum += v;
    }
    return OptionalDouble.of(sum);
  }
}
