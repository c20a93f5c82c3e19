package io.github.infermetrics.neuron.scrape;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code hardware_ecc_events_total} counters of one Neuron device.
 *
 * @param deviceIndex the device (label {@code neuron_device_index})
 * @param events counter value by {@code event_type} ({@code mem_ecc_corrected}, {@code mem_ecc_uncorrected},
 *     {@code sram_ecc_corrected}, {@code sram_ecc_uncorrected}), sorted by type
 */
public record EccCounters(int deviceIndex, Map<String, Double> events) {
  /**
   * Validates and copies.
   *
   * @param deviceIndex the device; not negative
   * @param events counter value by event type
   */
  public EccCounters {
    if (deviceIndex < 0) {
      throw new IllegalArgumentException("deviceIndex: a device index is not negative: " + deviceIndex);
    }
    events = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(events, "events")));
  }

  /**
   * The uncorrected events (memory and SRAM) counted so far.
   *
   * @return the sum of the {@code *_uncorrected} counters
   */
  public double uncorrected() {
    return sum(events, true);
  }

  /**
   * The corrected events (memory and SRAM) counted so far.
   *
   * @return the sum of the {@code *_corrected} counters
   */
  public double corrected() {
    return sum(events, false);
  }

  static double sum(Map<String, Double> byType, boolean uncorrected) {
    double sum = 0;
    for (Map.Entry<String, Double> e : byType.entrySet()) {
      if (e.getKey().endsWith("_uncorrected") == uncorrected) {
        sum += e.getValue();
      }
    }
    return sum;
  }
}
