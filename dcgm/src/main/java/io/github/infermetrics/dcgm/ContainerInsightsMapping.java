package io.github.infermetrics.dcgm;

import io.github.infermetrics.core.snapshot.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a dcgm-exporter scrape to the GPU metrics that the CloudWatch agent publishes for Container Insights with
 * accelerated compute (EKS), with the agent's names, units, scaling and dimensions, for the cloudwatch module's EMF
 * writer (in namespace {@code ContainerInsights}), so the console's GPU views fill in without the agent.
 *
 * <pre>{@code
 * ContainerInsightsMapping mapping = ContainerInsightsMapping.builder().clusterName("prod")
 *     .instanceId("i-0123456789abcdef0").instanceType("g5.12xlarge").build();
 * for (ContainerInsightsMapping.Metric m : mapping.map(DcgmSnapshot.of(scrape))) {
 *   // m.name() "node_gpu_utilization", m.unit() "Percent", m.dimensions() {ClusterName, GpuDevice="nvidia0",
 *   // InstanceId, InstanceType, NodeName}, m.properties() {Type="NodeGPU", UUID}, m.dimensionSets() ...
 * }
 * }</pre>
 *
 * <p>What the agent does, from {@code amazon-cloudwatch-agent} ({@code containerinsightscommon/const.go}, the
 * metrics-transform translator's {@code renameMapForDcgm}, {@code awsemf/kubernetes.go}'s GPU metric declarations,
 * the {@code gpuattributes} processor's label filters) and its receiver's dcgm scraper and GPU decorator:
 * <ul>
 *   <li>{@code DCGM_FI_DEV_GPU_UTIL} → {@code gpu_utilization} (Percent), {@code DCGM_FI_DEV_FB_USED_PERCENT} × 100 →
 *       {@code gpu_memory_utilization} (Percent), {@code DCGM_FI_DEV_FB_USED} and {@code _FB_TOTAL} × 1024² →
 *       {@code gpu_memory_used} and {@code gpu_memory_total} (Bytes), {@code DCGM_FI_DEV_GPU_TEMP} →
 *       {@code gpu_temperature} (None), {@code DCGM_FI_DEV_POWER_USAGE} → {@code gpu_power_draw} (None),
 *       {@code DCGM_FI_PROF_PIPE_TENSOR_ACTIVE} → {@code gpu_tensor_core_utilization} (None, the 0–1 ratio as it
 *       is); a field the exporter does not export gives no metric (the agent uses no fallback);</li>
 *   <li>each as {@code node_} (type {@code NodeGPU}), and for a GPU assigned to a pod also {@code pod_}
 *       ({@code PodGPU}) and, when the exporter names the container, {@code container_} ({@code ContainerGPU});</li>
 *   <li>labels: {@code Hostname} → {@code NodeName}, {@code device} → {@code GpuDevice}, {@code namespace} →
 *       {@code Namespace}, {@code pod} → {@code FullPodName}, the pod's workload → {@code PodName},
 *       {@code container} → {@code ContainerName}, {@code UUID} kept; {@code ClusterName}, {@code InstanceId},
 *       {@code InstanceType} from the configuration;</li>
 *   <li>dimension sets, of those whose keys are all known: node {@code [ClusterName]}, {@code [ClusterName,
 *       NodeName, InstanceId]}, {@code [ClusterName, NodeName, InstanceId, InstanceType, GpuDevice]}; pod
 *       {@code [ClusterName]}, {@code [ClusterName, Namespace]}, {@code [ClusterName, Namespace, PodName]},
 *       {@code [ClusterName, Namespace, PodName, FullPodName]}, {@code [ClusterName, Namespace, PodName,
 *       FullPodName, GpuDevice]}; container {@code [ClusterName]}, {@code [ClusterName, Namespace, PodName,
 *       ContainerName]}, {@code [ClusterName, Namespace, PodName, FullPodName, ContainerName]}, {@code
 *       [ClusterName, Namespace, PodName, FullPodName, ContainerName, GpuDevice]} (the agent's {@code Service} set
 *       is left out: the scrape does not say the service).</li>
 * </ul>
 * Differences, on purpose: the exporter's old label names ({@code pod_name}, {@code pod_namespace},
 * {@code container_name}) are read too; {@code PodName}, which the agent takes from the pod's owner through the
 * Kubernetes API, is derived from the pod's name ({@link #workloadName(String)}, replaceable in the builder); a MIG
 * instance's {@code GPU_I_ID} and {@code GPU_I_PROFILE} are kept as properties so that instances of one GPU stay
 * separate events. Immutable and thread-safe.
 */
public final class ContainerInsightsMapping {
  /** Kubernetes' random name suffixes use these characters ({@code k8s.io/apimachinery/pkg/util/rand}). */
  private static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
  private static final Pattern DEPLOYMENT_POD = Pattern.compile("(.+)-" + SAFE + "{5,10}-" + SAFE + "{5}");
  private static final Pattern GENERATED_POD = Pattern.compile("(.+)-" + SAFE + "{5}");
  private static final Pattern STATEFUL_POD = Pattern.compile("(.+)-\\d+");

  private static final List<List<String>> NODE_SETS = List.of(List.of("ClusterName"),
      List.of("ClusterName", "NodeName", "InstanceId"),
      List.of("ClusterName", "NodeName", "InstanceId", "InstanceType", "GpuDevice"));
  private static final List<List<String>> POD_SETS = List.of(List.of("ClusterName"),
      List.of("ClusterName", "Namespace"), List.of("ClusterName", "Namespace", "PodName"),
      List.of("ClusterName", "Namespace", "PodName", "FullPodName"),
      List.of("ClusterName", "Namespace", "PodName", "FullPodName", "GpuDevice"));
  private static final List<List<String>> CONTAINER_SETS = List.of(List.of("ClusterName"),
      List.of("ClusterName", "Namespace", "PodName", "ContainerName"),
      List.of("ClusterName", "Namespace", "PodName", "FullPodName", "ContainerName"),
      List.of("ClusterName", "Namespace", "PodName", "FullPodName", "ContainerName", "GpuDevice"));

  /** The agent's GPU metrics: name, unit, field and factor. */
  private enum GpuMetric {
    UTILIZATION("gpu_utilization", "Percent", DcgmField.GPU_UTIL, 100),
    MEMORY_UTILIZATION("gpu_memory_utilization", "Percent", DcgmField.FB_USED_PERCENT, 100),
    MEMORY_USED("gpu_memory_used", "Bytes", DcgmField.FB_USED, 1),
    MEMORY_TOTAL("gpu_memory_total", "Bytes", DcgmField.FB_TOTAL, 1),
    TEMPERATURE("gpu_temperature", "None", DcgmField.GPU_TEMP, 1),
    POWER_DRAW("gpu_power_draw", "None", DcgmField.POWER_USAGE, 1),
    TENSOR_CORE_UTILIZATION("gpu_tensor_core_utilization", "None", DcgmField.TENSOR_ACTIVE, 1);

    final String name;
    final String unit;
    final DcgmField field;
    /** From the field's base unit (a ratio, bytes) to what the agent writes. */
    final double factor;

    GpuMetric(String name, String unit, DcgmField field, double factor) {
      this.name = name;
      this.unit = unit;
      this.field = field;
      this.factor = factor;
    }
  }

  /**
   * One Container Insights metric value.
   *
   * @param name the metric name with its {@code node_}, {@code pod_} or {@code container_} prefix
   * @param unit the CloudWatch unit: {@code Percent}, {@code Bytes} or {@code None}
   * @param dimensions the members dimension sets may name ({@code ClusterName}, {@code NodeName},
   *     {@code GpuDevice}, ...), sorted by name
   * @param properties the other members of the event ({@code Type}, {@code UUID}, a MIG instance's
   *     {@code GPU_I_ID} and {@code GPU_I_PROFILE}), sorted by name
   * @param dimensionSets the dimension sets, each a list of keys of {@code dimensions}
   * @param value the value in {@code unit}
   */
  public record Metric(String name, String unit, Labels dimensions, Labels properties,
      List<List<String>> dimensionSets, double value) {
    /**
     * Validates and copies.
     *
     * @param name name
     * @param unit unit
     * @param dimensions dimensions
     * @param properties properties
     * @param dimensionSets dimension sets; each key in {@code dimensions}
     * @param value value
     */
    public Metric {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(dimensions, "dimensions");
      Objects.requireNonNull(properties, "properties");
      List<List<String>> sets = new ArrayList<>();
      for (List<String> set : dimensionSets) {
        for (String key : set) {
          if (!dimensions.contains(key)) {
            throw new IllegalArgumentException("metric " + name + ": dimension set " + set + " names " + key
                + ", which is not one of its dimensions " + dimensions);
          }
        }
        sets.add(List.copyOf(set));
      }
      dimensionSets = List.copyOf(sets);
    }
  }

  private final String clusterName;
  private final String instanceId;
  private final String instanceType;
  private final String nodeName;
  private final Function<String, String> podName;

  private ContainerInsightsMapping(Builder b) {
    this.clusterName = b.clusterName;
    this.instanceId = b.instanceId;
    this.instanceType = b.instanceType;
    this.nodeName = b.nodeName;
    this.podName = b.podName;
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
   * Maps one scrape.
   *
   * @param snapshot a dcgm-exporter scrape
   * @return the metrics: per GPU its node metrics, then its pod and container copies
   */
  public List<Metric> map(DcgmSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    List<Metric> out = new ArrayList<>();
    for (DcgmGpu g : snapshot.gpus()) {
      Labels node = Labels.EMPTY;
      node = put(node, "ClusterName", clusterName);
      node = put(node, "InstanceId", instanceId);
      node = put(node, "InstanceType", instanceType);
      node = put(node, "NodeName", g.hostname().orElse(nodeName));
      node = put(node, "GpuDevice", g.deviceName().orElse(""));
      Labels props = put(Labels.EMPTY, "UUID", g.uuid().orElse(""));
      props = put(props, "GPU_I_ID", g.migInstance().orElse(""));
      props = put(props, "GPU_I_PROFILE", g.migProfile().orElse(""));
      for (GpuMetric m : GpuMetric.values()) {
        OptionalDouble v = g.get(m.field);
        if (v.isEmpty()) {
          continue;
        }
        double value = v.getAsDouble() * m.factor;
        out.add(metric("node_" + m.name, m.unit, node, props.with("Type", "NodeGPU"), NODE_SETS, value));
        for (GpuPod p : g.pods()) {
          Labels pod = node.with("Namespace", p.namespace()).with("FullPodName", p.name())
              .with("PodName", podName.apply(p.name()));
          out.add(metric("pod_" + m.name, m.unit, pod, props.with("Type", "PodGPU"), POD_SETS, value));
          if (!p.container().isEmpty()) {
            out.add(metric("container_" + m.name, m.unit, pod.with("ContainerName", p.container()),
                props.with("Type", "ContainerGPU"), CONTAINER_SETS, value));
          }
        }
      }
    }
    return out;
  }

  private static Labels put(Labels l, String key, String value) {
    return value.isEmpty() ? l : l.with(key, value);
  }

  /** The declared sets whose keys are all known; all the dimensions as one set when none is. */
  private static Metric metric(String name, String unit, Labels dims, Labels props, List<List<String>> declared,
      double value) {
    List<List<String>> sets = new ArrayList<>();
    for (List<String> set : declared) {
      boolean known = true;
      for (String key : set) {
        known &= dims.contains(key);
      }
      if (known) {
        sets.add(set);
      }
    }
    if (sets.isEmpty() && !dims.isEmpty()) {
      sets.add(new ArrayList<>(dims.asMap().keySet()));
    }
    return new Metric(name, unit, dims, props, sets, value);
  }

  /**
   * The workload a pod belongs to, from its generated name, as Container Insights' {@code PodName} shows it: a
   * Deployment's pod {@code qwen-7d9f8c6b5d-x2x4z} is {@code qwen}, a DaemonSet's or Job's {@code agent-x2x4z} is
   * {@code agent}, a StatefulSet's {@code qwen-0} is {@code qwen}; another name is its own workload. The agent asks
   * the Kubernetes API for the pod's owner instead; a pod whose own name looks generated is shortened here too.
   *
   * @param fullPodName the pod's name
   * @return the workload's name
   */
  public static String workloadName(String fullPodName) {
    for (Pattern p : new Pattern[] {DEPLOYMENT_POD, GENERATED_POD, STATEFUL_POD}) {
      Matcher m = p.matcher(fullPodName);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return fullPodName;
  }

  /** Configures a {@link ContainerInsightsMapping}. */
  public static final class Builder {
    private String clusterName = "";
    private String instanceId = "";
    private String instanceType = "";
    private String nodeName = "";
    private Function<String, String> podName = ContainerInsightsMapping::workloadName;

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
     * The EC2 instance of the node, as {@code InstanceId}.
     *
     * @param instanceId for example {@code i-0123456789abcdef0}, or {@code ""}
     * @return this
     */
    public Builder instanceId(String instanceId) {
      this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
      return this;
    }

    /**
     * The instance type, as {@code InstanceType}.
     *
     * @param instanceType for example {@code g5.12xlarge}, or {@code ""}
     * @return this
     */
    public Builder instanceType(String instanceType) {
      this.instanceType = Objects.requireNonNull(instanceType, "instanceType");
      return this;
    }

    /**
     * The node's name for GPUs whose samples have no {@code Hostname}, as {@code NodeName}.
     *
     * @param nodeName the name, or {@code ""}
     * @return this
     */
    public Builder nodeName(String nodeName) {
      this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
      return this;
    }

    /**
     * How a pod's name becomes {@code PodName}; default {@link ContainerInsightsMapping#workloadName(String)}. Give
     * {@code Function.identity()} for the agent's {@code prefer_full_pod_name}.
     *
     * @param fromFullPodName the function
     * @return this
     */
    public Builder podName(Function<String, String> fromFullPodName) {
      this.podName = Objects.requireNonNull(fromFullPodName, "podName");
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
