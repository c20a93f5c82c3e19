package io.github.infermetrics.dcgm;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The GPUs of one node, or the GPUs one pod holds, over a window ({@link DcgmKpis#nodes()},
 * {@link DcgmKpis#pods()}): {@link DcgmMeasure#DEVICES}, the mean {@link DcgmMeasure#UTILIZATION}, and the sums of
 * memory and power. Immutable.
 *
 * <pre>{@code
 * GroupKpis qwen = kpis.pod("serving/qwen-0").orElseThrow();
 * qwen.get(DcgmMeasure.DEVICES);        // 2.0
 * qwen.get(DcgmMeasure.UTILIZATION);    // mean over its 2 GPUs
 * qwen.get(DcgmMeasure.AVERAGE_POWER);  // W, the sum over its GPUs
 * }</pre>
 */
public final class GroupKpis {
  private final Optional<String> node;
  private final Optional<String> pod;
  private final List<String> devices;
  private final Map<DcgmMeasure, Double> values;

  GroupKpis(Optional<String> node, Optional<String> pod, List<String> devices, Map<DcgmMeasure, Double> values) {
    this.node = Objects.requireNonNull(node, "node");
    this.pod = Objects.requireNonNull(pod, "pod");
    this.devices = List.copyOf(devices);
    Map<DcgmMeasure, Double> v = new EnumMap<>(DcgmMeasure.class);
    v.putAll(values);
    this.values = Collections.unmodifiableMap(v);
  }

  /**
   * The node ({@code Hostname}).
   *
   * @return the node, or empty when the exporter does not say
   */
  public Optional<String> node() {
    return node;
  }

  /**
   * The pod, {@code namespace/name}, for a pod's group.
   *
   * @return the pod, or empty for a node's group
   */
  public Optional<String> pod() {
    return pod;
  }

  /**
   * The GPUs and MIG instances counted, as {@code device} or {@code device/GPU_I_ID}.
   *
   * @return the devices
   */
  public List<String> devices() {
    return devices;
  }

  /**
   * One measure.
   *
   * @param measure which
   * @return its value, or empty
   */
  public OptionalDouble get(DcgmMeasure measure) {
    Double v = values.get(Objects.requireNonNull(measure, "measure"));
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * Every present measure.
   *
   * @return an unmodifiable map in {@link DcgmMeasure} order
   */
  public Map<DcgmMeasure, Double> values() {
    return values;
  }

  @Override
  public String toString() {
    return "GroupKpis{" + pod.map(p -> "pod " + p).orElse("node " + node.orElse("-")) + " " + values + "}";
  }
}
