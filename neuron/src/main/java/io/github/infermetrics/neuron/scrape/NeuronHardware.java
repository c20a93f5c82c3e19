package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The Neuron hardware of the instance: the labels of {@code neuron_hardware_info}.
 *
 * @param deviceCount label {@code neuron_device_count}
 * @param neuroncoresPerDevice label {@code neuroncore_per_device_count}
 * @param deviceMemoryBytes label {@code neuron_device_memory_size} (bytes per device; converters since Neuron 2.19)
 * @param labels all labels of the point
 */
public record NeuronHardware(int deviceCount, int neuroncoresPerDevice, OptionalLong deviceMemoryBytes,
    Labels labels) {
  /**
   * Validates.
   *
   * @param deviceCount the device count; not negative
   * @param neuroncoresPerDevice NeuronCores per device; not negative
   * @param deviceMemoryBytes bytes per device
   * @param labels the labels
   */
  public NeuronHardware {
    if (deviceCount < 0) {
      throw new IllegalArgumentException("deviceCount must not be negative: " + deviceCount);
    }
    if (neuroncoresPerDevice < 0) {
      throw new IllegalArgumentException("neuroncoresPerDevice must not be negative: " + neuroncoresPerDevice);
    }
    Objects.requireNonNull(deviceMemoryBytes, "deviceMemoryBytes");
    Objects.requireNonNull(labels, "labels");
  }

  /**
   * Reads the labels of a {@code neuron_hardware_info} point.
   *
   * @param labels the labels
   * @return the hardware
   * @throws IllegalArgumentException naming the label when a count is missing or not a number
   */
  static NeuronHardware fromLabels(Labels labels) {
    String memory = labels.get("neuron_device_memory_size");
    return new NeuronHardware(count(labels, "neuron_device_count"), count(labels, "neuroncore_per_device_count"),
        memory == null || memory.isEmpty() ? OptionalLong.empty()
            : OptionalLong.of(number(labels, "neuron_device_memory_size", memory)),
        labels);
  }

  private static int count(Labels labels, String name) {
    String v = labels.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("neuron_hardware_info" + labels + ": no label " + name);
    }
    long n = number(labels, name, v);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("neuron_hardware_info" + labels + ": label " + name + " is too large");
    }
    return (int) n;
  }

  private static long number(Labels labels, String name, String v) {
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("neuron_hardware_info" + labels + ": label " + name + "=\"" + v
          + "\" is not a non-negative integer", e);
    }
  }

  /**
   * The NeuronCores of the instance.
   *
   * @return devices times cores per device
   */
  public int neuroncoreCount() {
    return deviceCount * neuroncoresPerDevice;
  }

  /**
   * The device (HBM) memory of the instance.
   *
   * @return devices times bytes per device, or empty when the converter does not say
   */
  public OptionalLong totalDeviceMemoryBytes() {
    return deviceMemoryBytes.isPresent() ? OptionalLong.of(deviceCount * deviceMemoryBytes.getAsLong())
        : OptionalLong.empty();
  }
}
