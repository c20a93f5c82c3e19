package io.github.infermetrics.neuron.scrape;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Everything one scrape says about one Neuron runtime (one application, identified by {@code runtime_tag}: its
 * {@code NEURON_PROCESS_TAG}, or its PID).
 *
 * <p>Counters ({@code executionStatus}, {@code executionErrors}) are the converter's running totals: it adds each
 * neuron-monitor period's counts to them. Gauges hold the last period's value; in particular the converter leaves
 * {@code latencySeconds} unchanged through periods in which nothing ran.
 *
 * @param tag the {@code runtime_tag} label
 * @param labels the labels every series of this runtime shares, without {@code runtime_tag}: the instance labels
 *     and, with Kubernetes info, {@code pod_name}, {@code namespace}, {@code container_name} where they are common
 * @param neuroncores the NeuronCores this runtime reported, by index
 * @param memoryUsedBytes {@code neuron_runtime_memory_used_bytes} by {@code memory_location} ({@code host},
 *     {@code neuron_device})
 * @param vcpuUsage {@code neuron_runtime_vcpu_usage_ratio} by {@code usage_type} ({@code user}, {@code system}),
 *     0 to 1
 * @param executionStatus {@code execution_status_total} by {@code status_type} ({@code completed},
 *     {@code completed_with_err}, {@code completed_with_num_err}, {@code timed_out}, {@code incorrect_input},
 *     {@code failed_to_queue})
 * @param executionErrors {@code execution_errors_total} by {@code error_type} ({@code generic}, {@code numerical},
 *     {@code transient}, {@code model}, {@code runtime}, {@code hardware})
 * @param latencySeconds {@code execution_latency_seconds} by {@code percentile} ({@code p0}, {@code p1},
 *     {@code p25}, {@code p50}, {@code p75}, {@code p99}, {@code p100}): neuron-monitor's {@code total_latency};
 *     the converter does not export {@code device_latency}
 */
public record NeuronRuntime(String tag, Labels labels, List<NeuronCoreUsage> neuroncores,
    Map<String, Double> memoryUsedBytes, Map<String, Double> vcpuUsage, Map<String, Double> executionStatus,
    Map<String, Double> executionErrors, Map<String, Double> latencySeconds) {

  /** The {@code memory_location} of device (HBM) memory. */
  public static final String NEURON_DEVICE = "neuron_device";
  /** The {@code memory_location} of host memory. */
  public static final String HOST = "host";
  /** The {@code status_type} of executions that completed without error. */
  public static final String COMPLETED = "completed";

  /**
   * Validates and copies; maps are sorted by key, NeuronCores by index.
   *
   * @param tag the runtime tag; not empty
   * @param labels the shared labels
   * @param neuroncores the NeuronCores; distinct indexes
   * @param memoryUsedBytes memory by location
   * @param vcpuUsage vCPU usage by type
   * @param executionStatus execution counters by status
   * @param executionErrors error counters by type
   * @param latencySeconds latency by percentile
   */
  public NeuronRuntime {
    if (Objects.requireNonNull(tag, "tag").isEmpty()) {
      throw new IllegalArgumentException("tag: a runtime tag is not empty");
    }
    Objects.requireNonNull(labels, "labels");
    List<NeuronCoreUsage> cores = new ArrayList<>(Objects.requireNonNull(neuroncores, "neuroncores"));
    cores.sort(Comparator.comparingInt(NeuronCoreUsage::index));
    for (int i = 1; i < cores.size(); i++) {
      if (cores.get(i).index() == cores.get(i - 1).index()) {
        throw new IllegalArgumentException("neuroncores: runtime " + tag + " lists NeuronCore "
            + cores.get(i).index() + " twice");
      }
    }
    neuroncores = List.copyOf(cores);
    memoryUsedBytes = sorted(memoryUsedBytes, "memoryUsedBytes");
    vcpuUsage = sorted(vcpuUsage, "vcpuUsage");
    executionStatus = sorted(executionStatus, "executionStatus");
    executionErrors = sorted(executionErrors, "executionErrors");
    latencySeconds = sorted(latencySeconds, "latencySeconds");
  }

  private static Map<String, Double> sorted(Map<String, Double> m, String field) {
    return Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(m, field)));
  }

  /**
   * One NeuronCore.
   *
   * @param index the NeuronCore index
   * @return what this runtime reported for it, or empty
   */
  public Optional<NeuronCoreUsage> neuroncore(int index) {
    for (NeuronCoreUsage c : neuroncores) {
      if (c.index() == index) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Device (HBM) memory in use by this runtime.
   *
   * @return {@code memory_location="neuron_device"}, or empty when not exported (a runtime that has not loaded a
   *     model yet has only host memory)
   */
  public OptionalDouble deviceMemoryUsedBytes() {
    return get(memoryUsedBytes, NEURON_DEVICE);
  }

  /**
   * Host memory in use by this runtime.
   *
   * @return {@code memory_location="host"}, or empty
   */
  public OptionalDouble hostMemoryUsedBytes() {
    return get(memoryUsedBytes, HOST);
  }

  /**
   * One latency percentile of the last period with executions.
   *
   * @param percentile for example {@code p50}
   * @return the latency in seconds, or empty
   */
  public OptionalDouble latency(String percentile) {
    return get(latencySeconds, percentile);
  }

  /**
   * Executions counted so far, every status.
   *
   * @return the sum of {@link #executionStatus()}
   */
  public double executionsTotal() {
    double sum = 0;
    for (double v : executionStatus.values()) {
      sum += v;
    }
    return sum;
  }

  private static OptionalDouble get(Map<String, Double> m, String key) {
    Double v = m.get(key);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
