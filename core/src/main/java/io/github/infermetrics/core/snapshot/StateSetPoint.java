package io.github.infermetrics.core.snapshot;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OpenMetrics state set: which of a set of states are enabled.
 *
 * @param labels the labels, without the state label (the one named like the family)
 * @param states state name to enabled, sorted by name
 * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
 */
public record StateSetPoint(Labels labels, Map<String, Boolean> states, long timestampMillis)
    implements MetricPoint {
  /**
   * Validates and copies.
   *
   * @param labels the labels
   * @param states state name to enabled
   * @param timestampMillis the timestamp, or {@link MetricPoint#NO_TIMESTAMP}
   */
  public StateSetPoint {
    Objects.requireNonNull(labels, "labels");
    TreeMap<String, Boolean> copy = new TreeMap<>();
    for (Map.Entry<String, Boolean> e : states.entrySet()) {
      copy.put(Objects.requireNonNull(e.getKey(), "state name"), Objects.requireNonNull(e.getValue(), "state"));
    }
    states = Collections.unmodifiableMap(copy);
  }
}
