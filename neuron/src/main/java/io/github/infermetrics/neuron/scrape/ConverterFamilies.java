package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.exposition.MetricType;
import io.github.infermetrics.core.snapshot.CounterPoint;
import io.github.infermetrics.core.snapshot.GaugePoint;
import io.github.infermetrics.core.snapshot.InfoPoint;
import io.github.infermetrics.core.snapshot.MetricFamily;
import io.github.infermetrics.core.snapshot.MetricPoint;
import io.github.infermetrics.core.snapshot.MetricSnapshot;
import io.github.infermetrics.core.snapshot.UnknownPoint;
import java.util.List;
import java.util.Optional;

/**
 * The family and label names of {@code neuron-monitor-prometheus.py}, and how to find a family whatever the
 * exposition format: in Prometheus text a counter family is named {@code execution_status_total} and an info
 * {@code instance_info} (a gauge); in OpenMetrics they are {@code execution_status} and {@code instance}.
 */
final class ConverterFamilies {
  static final String UTILIZATION = "neuroncore_utilization_ratio";
  static final String RUNTIME_VCPU = "neuron_runtime_vcpu_usage_ratio";
  static final String RUNTIME_MEMORY = "neuron_runtime_memory_used_bytes";
  static final String CORE_MEMORY_PREFIX = "neuroncore_memory_usage_";
  /** The memory types of the {@code neuroncore_memory_usage_*} families, in the converter's order. */
  static final List<String> MEMORY_TYPES = List.of("constants", "model_code", "model_shared_scratchpad",
      "runtime_memory", "tensors");
  static final String LATENCY = "execution_latency_seconds";
  static final String LATENCY_OLD = "inference_latency_seconds";
  static final String ERRORS = "execution_errors";
  static final String ERRORS_OLD = "inference_errors";
  static final String STATUS = "execution_status";
  static final String STATUS_OLD = "inference_status";
  static final String ECC = "hardware_ecc_events";
  static final String VCPU_COUNT = "system_vcpu_count";
  static final String SYSTEM_VCPU = "system_vcpu_usage_ratio";
  static final String MEMORY_TOTAL = "system_memory_total_bytes";
  static final String MEMORY_USED = "system_memory_used_bytes";
  static final String SWAP_TOTAL = "system_swap_total_bytes";
  static final String SWAP_USED = "system_swap_used_bytes";
  static final String INSTANCE = "instance";
  static final String HARDWARE = "neuron_hardware";

  static final String RUNTIME_TAG = "runtime_tag";
  static final String NEURONCORE = "neuroncore";
  static final String MEMORY_LOCATION = "memory_location";
  static final String USAGE_TYPE = "usage_type";
  static final String ERROR_TYPE = "error_type";
  static final String STATUS_TYPE = "status_type";
  static final String PERCENTILE = "percentile";
  static final String EVENT_TYPE = "event_type";
  static final String DEVICE_INDEX = "neuron_device_index";

  /** Families only this converter writes; {@code instance_info} and {@code system_*} are too generic. */
  static final List<String> SIGNATURE = List.of(UTILIZATION, LATENCY, RUNTIME_MEMORY, RUNTIME_VCPU,
      STATUS + "_total", STATUS, ERRORS + "_total", ERRORS, CORE_MEMORY_PREFIX + "tensors", HARDWARE + "_info",
      LATENCY_OLD, STATUS_OLD + "_total", STATUS_OLD);

  private ConverterFamilies() {}

  /** A gauge family (same name in every format). */
  static Optional<MetricFamily> gauge(MetricSnapshot s, String... names) {
    for (String n : names) {
      Optional<MetricFamily> f = s.family(n);
      if (f.isPresent()) {
        return numeric(f.get());
      }
    }
    return Optional.empty();
  }

  /**
   * The family, when its points hold one number each.
   *
   * @throws IllegalArgumentException when it has a type the converter never writes under that name
   */
  static Optional<MetricFamily> numeric(MetricFamily f) {
    if (isNumeric(f)) {
      return Optional.of(f);
    }
    throw new IllegalArgumentException("family " + f.name() + " is a " + f.type()
        + "; neuron-monitor-prometheus writes a counter or gauge of that name");
  }

  private static boolean isNumeric(MetricFamily f) {
    switch (f.type()) {
      case COUNTER:
      case GAUGE:
      case UNKNOWN:
      case INFO:
        return true;
      default:
        return false;
    }
  }

  /** A counter family by its OpenMetrics name (without {@code _total}), current name first. */
  static Optional<MetricFamily> counter(MetricSnapshot s, String... baseNames) {
    for (String n : baseNames) {
      Optional<MetricFamily> f = s.family(n + "_total");
      if (f.isEmpty()) {
        f = s.family(n).filter(x -> x.type() == MetricType.COUNTER);
      }
      if (f.isPresent()) {
        return numeric(f.get());
      }
    }
    return Optional.empty();
  }

  /** A prometheus_client {@code Info}: {@code NAME_info} in Prometheus text, info family {@code NAME} in OpenMetrics. */
  static Optional<MetricFamily> info(MetricSnapshot s, String baseName) {
    Optional<MetricFamily> f = s.family(baseName + "_info");
    return f.isPresent() ? numeric(f.get()) : s.family(baseName).filter(x -> x.type() == MetricType.INFO);
  }

  /** The number a counter, gauge or untyped point holds; an info point counts as 1. */
  static double value(MetricFamily f, MetricPoint p) {
    if (p instanceof GaugePoint g) {
      return g.value();
    }
    if (p instanceof CounterPoint c) {
      return c.value();
    }
    if (p instanceof UnknownPoint u) {
      return u.value();
    }
    if (p instanceof InfoPoint) {
      return 1;
    }
    throw new IllegalArgumentException("family " + f.name() + " is a " + f.type()
        + "; neuron-monitor-prometheus writes a counter or gauge of that name");
  }

  /** A label the converter always writes on this family. */
  static String required(MetricFamily f, MetricPoint p, String label) {
    String v = p.labels().get(label);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(f.name() + p.labels() + ": no label " + label);
    }
    return v;
  }

  /** A label holding an index (NeuronCore, device). */
  static int index(MetricFamily f, MetricPoint p, String label) {
    String v = required(f, p, label);
    try {
      int i = Integer.parseInt(v);
      if (i >= 0) {
        return i;
      }
    } catch (NumberFormatException ignored) {
      // reported below, with the family and labels
    }
    throw new IllegalArgumentException(f.name() + p.labels() + ": label " + label + "=\"" + v
        + "\" is not an index (a non-negative integer)");
  }
}
