package io.github.infermetrics.neuron;

import io.github.infermetrics.core.snapshot.Labels;
import io.github.infermetrics.neuron.NeuronReport.CoreMemory;
import io.github.infermetrics.neuron.NeuronReport.DeviceEcc;
import io.github.infermetrics.neuron.NeuronReport.ExecutionStats;
import io.github.infermetrics.neuron.NeuronReport.K8sInfo;
import io.github.infermetrics.neuron.NeuronReport.NeuronCoreCounter;
import io.github.infermetrics.neuron.NeuronReport.PodRef;
import io.github.infermetrics.neuron.NeuronReport.Runtime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Maps a report to the neuron metrics that the CloudWatch agent publishes for Container Insights with accelerated
 * compute (EKS), with the agent's names, units, scaling and dimensions, for the cloudwatch module's EMF writer.
 *
 * <pre>{@code
 * ContainerInsightsMapping mapping = ContainerInsightsMapping.builder().clusterName("prod").nodeName("ip-10-0-1-2")
 *     .build();
 * for (ContainerInsightsMapping.Metric m : mapping.map(report)) {
 *   // m.name() "node_neuroncore_utilization", m.unit() "Percent",
 *   // m.dimensions() {ClusterName, InstanceId, NeuronCore="core0", NeuronDevice="device0", NodeName}
 * }
 * }</pre>
 *
 * <p>What it emits, as the agent's metric declarations publish them:
 * <ul>
 *   <li>{@code node_}, {@code pod_} and {@code container_} × {@code neuroncore_utilization} (Percent: the ratio ×100,
 *       the maximum over runtimes per core) and {@code neuroncore_memory_usage_total|constants|model_code|
 *       model_shared_scratchpad|runtime_memory|tensors} (Bytes, summed over runtimes per core), with
 *       {@code NeuronCore="core<N>"} and {@code NeuronDevice="device<N / cores per device>"};</li>
 *   <li>{@code node_}, {@code pod_} and {@code container_} × {@code neurondevice_hw_ecc_events_total} (Count: the
 *       four ECC event types of the period summed per device), with {@code NeuronDevice};</li>
 *   <li>{@code node_neuron_execution_errors_total} (Count, all error types of all runtimes in the period),
 *       {@code node_neurondevice_runtime_memory_used_bytes} (Bytes, {@code memory_location="neuron_device"} only,
 *       summed over runtimes) and {@code node_neuron_execution_latency} (Seconds, {@code p50} only; the highest over
 *       runtimes, since the agent overwrites {@code runtime_tag} with {@code DEFAULT}).</li>
 * </ul>
 * {@code pod_} and {@code container_} copies exist only where {@code neuron_k8s_info} names the pod using the core
 * or device; they add {@code PodName}, {@code Namespace} and (container) {@code ContainerName}, one copy per
 * container. Every metric carries {@code ClusterName} and {@code NodeName} when configured, {@code InstanceId} and
 * {@code UltraServer} when the report has them. Counts are the report's per-period counts, which is what the agent
 * sends after turning cumulative counters into deltas.
 *
 * <p>Immutable and thread-safe.
 */
public final class ContainerInsightsMapping {
  private static final String[] MEMORY_TYPES = {"constants", "model_code", "model_shared_scratchpad",
      "runtime_memory", "tensors"};

  /**
   * One Container Insights metric value.
   *
   * @param name the metric name with its {@code node_}, {@code pod_} or {@code container_} prefix
   * @param unit the CloudWatch unit: {@code Percent}, {@code Bytes}, {@code Count} or {@code Seconds}
   * @param dimensions the dimensions, sorted by name
   * @param value the value in {@code unit}
   */
  public record Metric(String name, String unit, Labels dimensions, double value) {
    /**
     * Validates.
     *
     * @param name name
     * @param unit unit
     * @param dimensions dimensions
     * @param value value
     */
    public Metric {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(dimensions, "dimensions");
    }
  }

  private final String clusterName;
  private final String nodeName;

  private ContainerInsightsMapping(Builder b) {
    this.clusterName = b.clusterName;
    this.nodeName = b.nodeName;
  }

  /**
   * Starts a mapping configuration.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Maps one report.
   *
   * @param report the report
   * @return the metrics, node level first, then pod and container copies
   */
  public List<Metric> map(NeuronReport report) {
    Objects.requireNonNull(report, "report");
    Labels base = Labels.EMPTY;
    if (!clusterName.isEmpty()) {
      base = base.with("ClusterName", clusterName);
    }
    if (!nodeName.isEmpty()) {
      base = base.with("NodeName", nodeName);
    }
    if (!report.instance().id().isEmpty()) {
      base = base.with("InstanceId", report.instance().id());
    }
    if (report.instance().ultraserverId().filter(s -> !s.isEmpty()).isPresent()) {
      base = base.with("UltraServer", report.instance().ultraserverId().get());
    }
    TreeMap<Integer, Double> util = new TreeMap<>();
    TreeMap<Integer, long[]> memory = new TreeMap<>();
    long errors = 0;
    long deviceBytes = 0;
    boolean anyStats = false;
    boolean anyMemory = false;
    OptionalDouble latencyP50 = OptionalDouble.empty();
    for (Runtime rt : report.runtimes()) {
      var r = rt.report();
      r.neuroncoreCounters().ifPresent(c -> {
        for (Map.Entry<Integer, NeuronCoreCounter> e : c.cores().entrySet()) {
          util.merge(e.getKey(), e.getValue().utilizationPercent(), Math::max);
        }
      });
      if (r.memoryUsed().isPresent()) {
        anyMemory = true;
        deviceBytes += r.memoryUsed().get().deviceBytes();
        for (Map.Entry<Integer, CoreMemory> e : r.memoryUsed().get().coreMemory().entrySet()) {
          CoreMemory m = e.getValue();
          long[] add = {m.total(), m.constants(), m.modelCode(), m.modelSharedScratchpad(), m.runtimeMemory(),
              m.tensors()};
          memory.merge(e.getKey(), add, (a, b) -> {
            long[] s = new long[a.length];
            for (int i = 0; i < a.length; i++) {
              s[i] = a[i] + b[i];
            }
            return s;
          });
        }
      }
      if (r.executionStats().isPresent()) {
        ExecutionStats s = r.executionStats().get();
        anyStats = true;
        errors += s.totalErrors();
        OptionalDouble p50 = s.totalLatency().map(NeuronReport.Latency::p50).orElse(OptionalDouble.empty());
        if (p50.isPresent() && (latencyP50.isEmpty() || p50.getAsDouble() > latencyP50.getAsDouble())) {
          latencyP50 = p50;
        }
      }
    }
    List<Metric> node = new ArrayList<>();
    List<Metric> pods = new ArrayList<>();
    Optional<K8sInfo> k8s = report.k8s();
    for (Map.Entry<Integer, Double> e : util.entrySet()) {
      Labels dims = coreDims(base, e.getKey(), report);
      emit(node, pods, "neuroncore_utilization", "Percent", dims, e.getValue(), podOfCore(k8s, e.getKey()));
    }
    for (Map.Entry<Integer, long[]> e : memory.entrySet()) {
      Labels dims = coreDims(base, e.getKey(), report);
      Optional<PodRef> pod = podOfCore(k8s, e.getKey());
      emit(node, pods, "neuroncore_memory_usage_total", "Bytes", dims, e.getValue()[0], pod);
      for (int i = 0; i < MEMORY_TYPES.length; i++) {
        emit(node, pods, "neuroncore_memory_usage_" + MEMORY_TYPES[i], "Bytes", dims, e.getValue()[i + 1], pod);
      }
    }
    if (report.system().hwCounters().isPresent()) {
      for (DeviceEcc d : report.system().hwCounters().get().devices()) {
        long total = d.memEccCorrected() + d.memEccUncorrected() + d.sramEccCorrected() + d.sramEccUncorrected();
        Optional<PodRef> pod = k8s.map(k -> k.devices().get(d.deviceIndex()));
        emit(node, pods, "neurondevice_hw_ecc_events_total", "Count",
            base.with("NeuronDevice", "device" + d.deviceIndex()), total, pod);
      }
    }
    if (anyStats) {
      node.add(new Metric("node_neuron_execution_errors_total", "Count", base, errors));
    }
    if (anyMemory) {
      node.add(new Metric("node_neurondevice_runtime_memory_used_bytes", "Bytes", base, deviceBytes));
    }
    if (latencyP50.isPresent()) {
      node.add(new Metric("node_neuron_execution_latency", "Seconds", base, latencyP50.getAsDouble()));
    }
    node.addAll(pods);
    return node;
  }

  private static Optional<PodRef> podOfCore(Optional<K8sInfo> k8s, int core) {
    return k8s.map(k -> k.cores().get(core));
  }

  private static Labels coreDims(Labels base, int core, NeuronReport report) {
    Labels dims = base.with("NeuronCore", "core" + core);
    OptionalInt device = report.hardware().deviceOf(core);
    return device.isPresent() ? dims.with("NeuronDevice", "device" + device.getAsInt()) : dims;
  }

  private static void emit(List<Metric> node, List<Metric> pods, String name, String unit, Labels dims, double value,
      Optional<PodRef> pod) {
    node.add(new Metric("node_" + name, unit, dims, value));
    if (pod.isPresent() && !pod.get().podName().isEmpty()) {
      Labels podDims = dims.with("PodName", pod.get().podName()).with("Namespace", pod.get().namespace());
      pods.add(new Metric("pod_" + name, unit, podDims, value));
      for (String container : pod.get().containerNames()) {
        pods.add(new Metric("container_" + name, unit, podDims.with("ContainerName", container), value));
      }
    }
  }

  /** Configures a {@link ContainerInsightsMapping}. */
  public static final class Builder {
    private String clusterName = "";
    private String nodeName = "";

    private Builder() {}

    /**
     * The EKS cluster, as the {@code ClusterName} dimension.
     *
     * @param clusterName the name, or {@code ""} to leave the dimension out
     * @return this
     */
    public Builder clusterName(String clusterName) {
      this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
      return this;
    }

    /**
     * The Kubernetes node, as the {@code NodeName} dimension.
     *
     * @param nodeName the name, or {@code ""} to leave the dimension out
     * @return this
     */
    public Builder nodeName(String nodeName) {
      this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
      return this;
    }

    /**
     * Builds the mapping.
     *
     * @return the mapping
     */
    public ContainerInsightsMapping build() {
      return new ContainerInsightsMapping(this);
    }
  }
}
